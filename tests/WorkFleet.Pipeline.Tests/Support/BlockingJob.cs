using WorkFleet.Jobs;

namespace WorkFleet.Pipeline.Tests.Support;

/// <summary>
/// <c>test.blocking</c>: like <see cref="GatedJob"/>, but holds its thread while it waits for the gate, as a
/// CPU-bound handler that never yields (a matrix product, a model's forward pass) holds it while it computes.
/// </summary>
public sealed class BlockingJob(JobLog log) : IJobHandler<EchoInput, EchoOutput>
{
    /// <summary>The job type.</summary>
    public const string Type = "test.blocking";

    /// <inheritdoc />
    public Task<EchoOutput> HandleAsync(EchoInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var job = JobExecutionContext.Current!;
        log.Enter(job);
        try
        {
            log.PassGateAsync(job.TaskId, cancellationToken).GetAwaiter().GetResult();
            return Task.FromResult(new EchoOutput(EchoJob.Echo(input.Text!, input.Times)));
        }
        finally
        {
            log.Exit(job);
        }
    }
}
