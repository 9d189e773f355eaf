using WorkFleet.Jobs;

namespace WorkFleet.IntegrationTests.HttpApi;

/// <summary><c>test.counted-sleep</c>: sleeps <c>ms</c> milliseconds and counts, per task, how often it ran (<see cref="JobRuns"/>).</summary>
public sealed class CountedSleepJob(JobRuns runs) : IJobHandler<CountedSleepInput, CountedSleepOutput>
{
    /// <summary>The job type.</summary>
    public const string Type = "test.counted-sleep";

    /// <inheritdoc />
    public async Task<CountedSleepOutput> HandleAsync(CountedSleepInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var count = runs.Ran(JobExecutionContext.Current!.TaskId);
        await Task.Delay(input.Ms, cancellationToken);
        return new CountedSleepOutput(count);
    }
}

/// <summary>Input of <see cref="CountedSleepJob"/>.</summary>
/// <param name="Ms">How long to sleep.</param>
public sealed record CountedSleepInput(int Ms);

/// <summary>Output of <see cref="CountedSleepJob"/>.</summary>
/// <param name="Run">How many times the task had started on this worker, this run included.</param>
public sealed record CountedSleepOutput(int Run);
