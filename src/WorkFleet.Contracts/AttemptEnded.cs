namespace WorkFleet.Contracts;

/// <summary>
/// Event among dispatchers: the result of an attempt is stored, so its slot on the worker is free.
/// Results are consumed by one dispatcher; this tells every other dispatcher to release its ledger entry.
/// </summary>
public sealed record AttemptEnded
{
    /// <summary>The task.</summary>
    public required Guid TaskId { get; init; }

    /// <summary>The attempt that ended.</summary>
    public required int Attempt { get; init; }

    /// <summary>The worker that held it.</summary>
    public required string WorkerId { get; init; }

    /// <summary>
    /// Attempts the sending dispatcher put on the freed slot at once (its own waiting tasks): receivers count
    /// them in the same step as they free the slot, so the slot never looks free to another dispatcher.
    /// </summary>
    public IReadOnlyList<AttemptAssigned> Successors { get; init; } = [];
}
