using WorkFleet.Jobs;

namespace WorkFleet.Pipeline.Tests.Support;

/// <summary>
/// <c>test.gated</c>: an echo that holds its slot until the test opens its task's gate (<see cref="JobLog.Open"/>)
/// or its token is cancelled, so a test decides when a task finishes.
/// </summary>
public sealed class GatedJob(JobLog log) : IJobHandler<EchoInput, EchoOutput>
{
    /// <summary>The job type.</summary>
    public const string Type = "test.gated";

    /// <inheritdoc />
    public async Task<EchoOutput> HandleAsync(EchoInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var job = JobExecutionContext.Current!;
        log.Enter(job);
        try
        {
            await log.PassGateAsync(job.TaskId, cancellationToken);
            return new EchoOutput(EchoJob.Echo(input.Text!, input.Times));
        }
        finally
        {
            log.Exit(job);
        }
    }
}
