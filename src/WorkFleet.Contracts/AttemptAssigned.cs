namespace WorkFleet.Contracts;

/// <summary>
/// Event among dispatchers: a dispatcher sent an attempt to a worker, so one of that worker's slots is taken.
/// Every other dispatcher counts it in its ledger until the matching <see cref="AttemptEnded"/>, so several
/// dispatchers sharing a fleet see each other's load within a message's latency instead of a heartbeat period.
/// </summary>
public sealed record AttemptAssigned
{
    /// <summary>The task.</summary>
    public required Guid TaskId { get; init; }

    /// <summary>The attempt sent.</summary>
    public required int Attempt { get; init; }

    /// <summary>The worker it was sent to.</summary>
    public required string WorkerId { get; init; }

    /// <summary>The dispatcher that sent it (which ignores its own broadcast).</summary>
    public required string DispatcherId { get; init; }

    /// <summary>
    /// The task's job type, so receivers can expect when the slot frees from what they learned of it; null from senders
    /// older than the field (the attempt then never ends in a receiver's cost-aware forecast).
    /// </summary>
    public string? JobType { get; init; }

    /// <summary>
    /// The attempt's expected cost in ms at weight 1 (the submitter's hint or the sender's learned estimate); null when
    /// the sender knows none or is older than the field.
    /// </summary>
    public double? ExpectedCostMs { get; init; }
}
