namespace WorkFleet.Contracts;

/// <summary>
/// Command (published to every dispatcher and worker): the named worker is leaving the fleet. Dispatchers send it
/// nothing new from the moment they receive this; the worker announces Draining, finishes what it holds within
/// its drain timeout, announces Stopped and exits, exactly as on SIGTERM. Sent by the autoscaler before it
/// removes the worker (and by an operator through <c>workfleet drain</c>).
/// </summary>
public sealed record DrainWorker
{
    /// <summary>The worker to drain.</summary>
    public required string WorkerId { get; init; }

    /// <summary>Why, for the logs (e.g. "autoscaler: 5 -> 3 workers").</summary>
    public string? Reason { get; init; }

    /// <summary>When the drain was decided; tasks are never handed to the worker after this.</summary>
    public DateTimeOffset RequestedAt { get; init; }
}
