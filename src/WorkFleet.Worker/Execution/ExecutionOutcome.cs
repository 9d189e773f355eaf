using WorkFleet.Contracts;

namespace WorkFleet.Worker.Execution;

/// <summary>Exactly one of the two is set.</summary>
/// <param name="Completed">The success message.</param>
/// <param name="Failed">The failure message.</param>
public sealed record ExecutionOutcome(TaskCompleted? Completed, TaskFailed? Failed);
