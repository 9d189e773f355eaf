using WorkFleet.Contracts;

namespace WorkFleet.Worker.Execution;

/// <summary>What running an attempt produced: a success or a failure to report, or nothing for a duplicate.</summary>
/// <param name="Completed">The success message.</param>
/// <param name="Failed">The failure message.</param>
public sealed record ExecutionOutcome(TaskCompleted? Completed, TaskFailed? Failed)
{
    /// <summary>A copy of an attempt that already runs on this worker: the running one reports, this one nothing.</summary>
    public static ExecutionOutcome Duplicate { get; } = new(null, null);

    /// <summary>True for <see cref="Duplicate"/>.</summary>
    public bool IsDuplicate => Completed is null && Failed is null;
}
