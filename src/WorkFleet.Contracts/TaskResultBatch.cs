namespace WorkFleet.Contracts;

/// <summary>
/// Event from a worker: the terminal results of several attempts it ran, sent together in one message (group
/// commit: the results that finished while the worker's previous result was being sent). A worker sends a lone
/// result as the plain <see cref="TaskCompleted"/> or <see cref="TaskFailed"/>; a dispatcher accepts both forms.
/// Each item is recorded as if it had arrived alone, so a redelivered batch changes nothing it already recorded.
/// </summary>
public sealed record TaskResultBatch
{
    /// <summary>
    /// The worker that sent the batch and ran every item in it: every item's <c>WorkerId</c> must equal it, and an
    /// item naming another worker is refused (not stored) while the others are recorded.
    /// </summary>
    public required string WorkerId { get; init; }

    /// <summary>Attempts that finished successfully; empty when none.</summary>
    public IReadOnlyList<TaskCompleted> Completed { get; init; } = [];

    /// <summary>Attempts that failed; empty when none.</summary>
    public IReadOnlyList<TaskFailed> Failed { get; init; } = [];
}
