namespace WorkFleet.Balancing.CostAware;

/// <summary>A task waiting in a <see cref="WaitingQueue{T}"/>.</summary>
/// <typeparam name="T">The caller's handle for the task.</typeparam>
/// <param name="Item">The caller's handle.</param>
/// <param name="Priority">Higher runs first.</param>
/// <param name="OrderKeyMs">Order within the priority (see <see cref="AgingRule.OrderKeyMs"/>).</param>
/// <param name="DueMs">From this time on the task is never held for a faster worker.</param>
/// <param name="ArrivalMs">When it arrived.</param>
/// <param name="ExpectedCostMs">Expected cost in ms at weight 1; null when unknown.</param>
/// <param name="Sequence">Arrival order, the last tie-break.</param>
public readonly record struct WaitingTask<T>(T Item, int Priority, double OrderKeyMs, double DueMs, double ArrivalMs, double? ExpectedCostMs, long Sequence)
{
    /// <summary>True when the task may no longer be held back (its wait reached its aging horizon).</summary>
    public bool IsDue(double nowMs) => nowMs >= DueMs;
}
