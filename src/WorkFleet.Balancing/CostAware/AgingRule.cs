namespace WorkFleet.Balancing.CostAware;

/// <summary>
/// Shortest-expected-cost-first with aging. A task that arrived at a with expected cost ê (milliseconds on a
/// worker of weight 1) is <b>due</b> at d = a + min(A · ê, H), A being <see cref="AgingFactor"/> and H
/// <see cref="MaxHeadStart"/>. Its effective cost ê − (t − a) / A shrinks with its wait and reaches zero at d.
/// </summary>
/// <remarks>
/// <para>
/// Waiting tasks are ordered by d (ties by arrival): at any instant that is the same as ordering by effective
/// cost, and it is a fixed key, so the queue never needs re-sorting. Until d a task may be held back for a
/// faster worker (<see cref="CostAwarePlacement"/>); from d on it is never held and takes any free slot.
/// </para>
/// <para>
/// The bound. A task j arriving after d_k has d_j ≥ a_j &gt; d_k, so it queues behind k; and from d_k on, k and
/// every task ahead of it (all due) start in the first free slots. Hence, with one queue, task k starts no later
/// than d_k + D_k, where D_k is the time the fleet takes, from d_k, to free n_k + 1 slots and n_k is the number
/// of tasks waiting at d_k with a smaller due time; in particular its wait is at most
/// min(A · ê_k, H) + D_k, and no task that arrived after d_k starts before it. Without an estimate ê is taken
/// as 0 (due on arrival: first in, first out). Starvation is impossible by construction: a stream of short
/// tasks can pass a long one only during min(A · ê, H).
/// </para>
/// </remarks>
public sealed record AgingRule
{
    /// <summary>
    /// A, dimensionless, &gt; 0: a task's effective cost shrinks by 1 ms per A ms of wait, so it is due after
    /// A × its expected cost. Larger is closer to pure shortest-first. Default 1.
    /// </summary>
    public double AgingFactor { get; init; } = 1;

    /// <summary>H, the longest head start shorter tasks can get over any task, whatever its estimate. Default 5 s.</summary>
    public TimeSpan MaxHeadStart { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Shortest expected cost first (the default) or FIFO within a priority.</summary>
    public WaitingOrder Order { get; init; } = WaitingOrder.ShortestCostFirst;

    /// <summary>When a task that arrived at <paramref name="arrivalMs"/> is due (see the class summary).</summary>
    /// <param name="arrivalMs">Arrival time in ms from any fixed origin.</param>
    /// <param name="expectedCostMs">Expected cost in ms at weight 1, or null when unknown (then due at once).</param>
    public double DueMs(double arrivalMs, double? expectedCostMs) =>
        expectedCostMs is { } cost and > 0 ? arrivalMs + Math.Min(AgingFactor * cost, MaxHeadStart.TotalMilliseconds) : arrivalMs;

    /// <summary>The key a waiting task is ordered by within its priority: its due time, or its arrival for FIFO.</summary>
    public double OrderKeyMs(double arrivalMs, double dueMs) => Order == WaitingOrder.Fifo ? arrivalMs : dueMs;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the property that is out of range.</summary>
    public void Validate()
    {
        if (!double.IsFinite(AgingFactor) || AgingFactor <= 0)
        {
            throw new ArgumentException($"AgingFactor must be a positive number, not {AgingFactor}.", nameof(AgingFactor));
        }

        if (MaxHeadStart < TimeSpan.Zero)
        {
            throw new ArgumentException($"MaxHeadStart must not be negative, not {MaxHeadStart}.", nameof(MaxHeadStart));
        }

        if (!Enum.IsDefined(Order))
        {
            throw new ArgumentException($"Order must be ShortestCostFirst or Fifo, not {Order}.", nameof(Order));
        }
    }
}
