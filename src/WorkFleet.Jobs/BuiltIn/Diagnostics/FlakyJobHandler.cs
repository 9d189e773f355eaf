using System.Text.Json;

namespace WorkFleet.Jobs.BuiltIn.Diagnostics;

/// <summary>
/// <c>diagnostics.flaky</c>: fails with a retryable error while the attempt number is below
/// <c>failUntilAttempt</c>, then succeeds. For operators checking retry and backoff settings end to end.
/// Input <c>{"failUntilAttempt":3}</c>; output <c>{"attempt":3}</c>.
/// </summary>
public sealed class FlakyJobHandler : IJobHandler
{
    /// <summary>The job type.</summary>
    public const string Type = "diagnostics.flaky";

    /// <inheritdoc />
    public string JobType => Type;

    /// <inheritdoc />
    public Task<JsonElement> ExecuteAsync(JsonElement input, CancellationToken cancellationToken)
    {
        if (input.ValueKind != JsonValueKind.Object
            || !input.TryGetProperty("failUntilAttempt", out var limit)
            || !limit.TryGetInt32(out var failUntil)
            || failUntil < 1)
        {
            throw new JobInputException($"{Type}: 'failUntilAttempt' must be a positive integer.");
        }

        var attempt = JobExecutionContext.Current?.Attempt
            ?? throw new InvalidOperationException($"{Type} needs a JobExecutionContext (run it through a worker).");
        if (attempt < failUntil)
        {
            throw new TransientJobException($"{Type}: attempt {attempt} fails on purpose (succeeds from attempt {failUntil}).");
        }

        using var output = JsonDocument.Parse($$"""{"attempt":{{attempt}}}""");
        return Task.FromResult(output.RootElement.Clone());
    }
}
