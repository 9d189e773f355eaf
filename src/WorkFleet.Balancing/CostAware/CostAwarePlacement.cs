namespace WorkFleet.Balancing.CostAware;

/// <summary>
/// The cost-aware placement rule: a task goes where it is expected to finish soonest, counting the wait for a
/// slot on a full worker, so a large task may be held for a fast worker that frees a slot soon rather than start
/// at once on a slow one, and a slow worker takes only what it finishes quickly. Pure; allocates nothing.
/// </summary>
/// <remarks>
/// <para>
/// For a task of expected cost ê (ms at weight 1) the finish on worker i is ê / w_i if it has a free slot, and
/// otherwise max(0, e_i,n − now) + ê / w_i, where e_i,n is the n-th soonest expected end among the attempts
/// running there and n the number of tasks already held for i in this pass (so two held tasks do not count on
/// the same slot). The least finish wins; ties go to the free worker, then to the lower load per slot. If the
/// winner has a free slot the task starts there, otherwise it is held for it.
/// </para>
/// <para>
/// The capacity rule and late binding are kept: a task only ever starts in a free slot, and a held task is
/// bound to nothing (it is decided again at the next pass). Without an estimate, or once the task is due
/// (<see cref="AgingRule"/>), it is never held and takes the fastest free slot: the default strategy's rule.
/// </para>
/// </remarks>
public static class CostAwarePlacement
{
    /// <summary>Configuration and simulator name of the strategy (ordering + placement).</summary>
    public const string StrategyName = "cost-aware";

    /// <summary>Advises where a waiting task should go now.</summary>
    /// <param name="fleet">The fleet and its running attempts.</param>
    /// <param name="expectedCostMs">The task's expected cost in ms at weight 1; null when unknown.</param>
    /// <param name="due">True once the task may no longer be held (<see cref="WaitingTask{T}.IsDue"/>).</param>
    /// <param name="nowMs">The current time, on the clock of the forecast's expected ends.</param>
    /// <param name="held">Per worker, tasks already held for it in this pass; the caller increments it on <see cref="PlacementKind.Hold"/>.</param>
    /// <param name="budgetMs">
    /// A run time any task may take: a task not due whose run time on some free worker is within it starts on the
    /// slowest such worker, leaving faster slots to larger tasks; +∞ or 0 turns this off.
    /// </param>
    public static Placement Decide(SlotForecast fleet, double? expectedCostMs, bool due, double nowMs, ReadOnlySpan<int> held, double budgetMs = 0)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        var mayHold = !due && expectedCostMs is > 0;
        var cost = expectedCostMs is > 0 ? expectedCostMs.Value : 1.0;
        if (mayHold && budgetMs is > 0 and < double.PositiveInfinity && SlowestWithin(fleet, cost, budgetMs) is var slow and >= 0)
        {
            return new Placement(PlacementKind.Start, slow, cost / fleet.Weight(slow));
        }

        var best = -1;
        var bestFinish = double.PositiveInfinity;
        var bestFree = false;
        var bestLoad = double.PositiveInfinity;
        for (var i = 0; i < fleet.Count; i++)
        {
            var running = fleet.Running(i);
            var capacity = fleet.Capacity(i);
            var free = running < capacity;
            if (!free && !mayHold)
            {
                continue;
            }

            var slotInMs = free ? 0 : Math.Max(0, fleet.ExpectedEndMs(i, i < held.Length ? held[i] : 0) - nowMs);
            var finish = slotInMs + (cost / fleet.Weight(i));
            var load = (double)running / capacity;
            if (finish < bestFinish || (finish == bestFinish && ((free && !bestFree) || (free == bestFree && load < bestLoad))))
            {
                best = i;
                bestFinish = finish;
                bestFree = free;
                bestLoad = load;
            }
        }

        if (best < 0 || double.IsPositiveInfinity(bestFinish))
        {
            return new Placement(PlacementKind.Wait, -1, double.PositiveInfinity);
        }

        var expected = expectedCostMs is > 0 ? bestFinish : double.PositiveInfinity;
        return new Placement(bestFree ? PlacementKind.Start : PlacementKind.Hold, best, expected);
    }

    /// <summary>The slowest worker with a free slot that runs the task within the budget (then the least loaded); -1 if none.</summary>
    private static int SlowestWithin(SlotForecast fleet, double cost, double budgetMs)
    {
        var best = -1;
        var bestRun = 0.0;
        var bestLoad = double.PositiveInfinity;
        for (var i = 0; i < fleet.Count; i++)
        {
            var running = fleet.Running(i);
            var capacity = fleet.Capacity(i);
            var run = cost / fleet.Weight(i);
            if (running >= capacity || run > budgetMs)
            {
                continue;
            }

            var load = (double)running / capacity;
            if (run > bestRun || (run == bestRun && load < bestLoad))
            {
                best = i;
                bestRun = run;
                bestLoad = load;
            }
        }

        return best;
    }
}
