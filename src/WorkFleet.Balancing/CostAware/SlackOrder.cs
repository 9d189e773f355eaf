namespace WorkFleet.Balancing.CostAware;

/// <summary>
/// Where a task not yet due stands in a cost-aware pass: higher priority first, tail tasks after all others (see
/// <see cref="CostAwareScheduler{T}.TailFactor"/>), then least slack first (arrival − expected cost / fastest weight: the
/// task that must start soonest on the fastest worker), then arrival. The simulator's scheduler and the dispatcher's
/// allocator both sort by it.
/// </summary>
/// <param name="Priority">Higher goes first.</param>
/// <param name="IsTail">A tail task goes after every other task of its priority.</param>
/// <param name="SlackMs">Less goes first.</param>
/// <param name="Sequence">Arrival order, the last tie-break.</param>
public readonly record struct SlackOrder(int Priority, bool IsTail, double SlackMs, long Sequence)
{
    /// <summary>The place of a task that arrived at <paramref name="arrivalMs"/> with <paramref name="expectedCostMs"/> (null: unknown, no slack taken off).</summary>
    public static SlackOrder Of(int priority, double arrivalMs, double? expectedCostMs, double fastestWeight, double tailMs, long sequence) =>
        new(priority, expectedCostMs > tailMs, arrivalMs - ((expectedCostMs ?? 0) / fastestWeight), sequence);

    /// <summary>Negative when <paramref name="x"/> goes before <paramref name="y"/>.</summary>
    public static int Compare(SlackOrder x, SlackOrder y)
    {
        var byPriority = y.Priority.CompareTo(x.Priority);
        if (byPriority != 0)
        {
            return byPriority;
        }

        var byTail = x.IsTail.CompareTo(y.IsTail);
        if (byTail != 0)
        {
            return byTail;
        }

        var bySlack = x.SlackMs.CompareTo(y.SlackMs);
        return bySlack != 0 ? bySlack : x.Sequence.CompareTo(y.Sequence);
    }
}
