using System.Text.Json;

namespace WorkFleet.Jobs.BuiltIn.Diagnostics;

/// <summary>
/// <c>diagnostics.sleep</c>: holds a worker slot for a given time without using CPU. For operators checking
/// autoscaling and draining end to end (a known load: tasks × milliseconds / slots). Input <c>{"ms":500}</c>
/// (0..600000); output <c>{"sleptMs":500}</c>. Cancellation ends it early.
/// </summary>
public sealed class SleepJobHandler : IJobHandler
{
    /// <summary>The job type.</summary>
    public const string Type = "diagnostics.sleep";

    /// <summary>Longest accepted sleep, in milliseconds (10 minutes).</summary>
    public const int MaxMilliseconds = 600_000;

    /// <inheritdoc />
    public string JobType => Type;

    /// <inheritdoc />
    public async Task<JsonElement> ExecuteAsync(JsonElement input, CancellationToken cancellationToken)
    {
        if (input.ValueKind != JsonValueKind.Object
            || !input.TryGetProperty("ms", out var value)
            || value.ValueKind != JsonValueKind.Number
            || !value.TryGetInt32(out var ms)
            || ms is < 0 or > MaxMilliseconds)
        {
            throw new JobInputException($"{Type}: 'ms' must be a whole number of milliseconds within 0..{MaxMilliseconds}.");
        }

        await Task.Delay(ms, cancellationToken);
        using var output = JsonDocument.Parse($$"""{"sleptMs":{{ms}}}""");
        return output.RootElement.Clone();
    }
}
