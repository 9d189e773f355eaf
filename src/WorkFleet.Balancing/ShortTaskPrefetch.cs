namespace WorkFleet.Balancing;

/// <summary>
/// Lets a worker that runs short tasks hold more attempts than it has slots, so that none of its slots idles for the
/// dispatcher's round trip (result → durable record → next grant → worker) between two short tasks: the extra attempts
/// wait in the worker's own process for a run slot, as the messages a Celery or RabbitMQ consumer prefetches wait.
/// </summary>
/// <remarks>
/// <para>
/// A worker is offered extra attempts only when no worker the task could run on has a free slot, and only while its
/// recent tasks were short (the mean of its heartbeat, <see cref="WorkerCandidate.EwmaTaskDurationMs"/>, known and at
/// most <see cref="MaxTaskMs"/>), up to <see cref="PerSlot"/> more per slot: load &lt; capacity × (1 + PerSlot). So an
/// attempt that goes ahead waits on its worker for about one short task, and a worker busy with long tasks (or not yet
/// measured) keeps strict late binding: a task is bound to it only when one of its slots frees. The strategy chooses
/// among the workers offered, counting their queues (e.g. fastest-free-slot's rounds ahead).
/// </para>
/// <para>Pure: a rule over the view's candidates, no I/O.</para>
/// </remarks>
/// <param name="PerSlot">Extra attempts per slot a short-task worker may hold, 0..16; 0 turns prefetch off.</param>
/// <param name="MaxTaskMs">Longest mean task duration (ms, the worker's own clock) that still counts as short.</param>
public readonly record struct ShortTaskPrefetch(int PerSlot, double MaxTaskMs)
{
    /// <summary>Largest <see cref="PerSlot"/> accepted.</summary>
    public const int MaxPerSlot = 16;

    /// <summary>No prefetch: every attempt is bound to a worker only when one of its slots frees.</summary>
    public static ShortTaskPrefetch Off => default;

    /// <summary>True when some worker may be offered attempts beyond its capacity.</summary>
    public bool IsOn => PerSlot > 0 && MaxTaskMs > 0;

    /// <summary>
    /// Whether <paramref name="candidate"/>, which has no free slot, may take one more attempt: its recent tasks are
    /// short and it holds fewer than capacity × (1 + <see cref="PerSlot"/>).
    /// </summary>
    public bool Admits(in WorkerCandidate candidate) =>
        IsOn
        && candidate.EwmaTaskDurationMs > 0
        && candidate.EwmaTaskDurationMs <= MaxTaskMs
        && candidate.Load < (long)candidate.Capacity * (1 + PerSlot);

    /// <summary>Throws when the settings are out of range.</summary>
    public ShortTaskPrefetch Validated() =>
        PerSlot is < 0 or > MaxPerSlot
            ? throw new ArgumentOutOfRangeException(nameof(PerSlot), PerSlot, $"PerSlot must be within 0..{MaxPerSlot}.")
            : !double.IsFinite(MaxTaskMs) || MaxTaskMs < 0
                ? throw new ArgumentOutOfRangeException(nameof(MaxTaskMs), MaxTaskMs, "MaxTaskMs must be a finite number, not negative.")
                : this;
}
