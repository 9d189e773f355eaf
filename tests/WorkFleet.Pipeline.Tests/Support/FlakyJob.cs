using System.Text.Json;
using WorkFleet.Jobs;

namespace WorkFleet.Pipeline.Tests.Support;

/// <summary><c>test.flaky</c>: throws <see cref="TransientJobException"/> on the first <see cref="FlakyInput.Failures"/> calls of a task, then succeeds.</summary>
public sealed class FlakyJob(JobLog log) : IJobHandler<FlakyInput, FlakyOutput>
{
    /// <summary>The job type.</summary>
    public const string Type = "test.flaky";

    /// <summary>A payload for this job.</summary>
    public static JsonElement Payload(int failures) => JsonSerializer.SerializeToElement(new FlakyInput(failures), JsonSerializerOptions.Web);

    /// <inheritdoc />
    public Task<FlakyOutput> HandleAsync(FlakyInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var job = JobExecutionContext.Current!;
        var call = log.Enter(job);
        try
        {
            return call <= input.Failures
                ? throw new TransientJobException($"{Type}: call {call} fails on purpose ({input.Failures} failures asked)")
                : Task.FromResult(new FlakyOutput(call));
        }
        finally
        {
            log.Exit(job);
        }
    }
}
