namespace WorkFleet.Balancing.Strategies;

/// <summary>
/// The default: weighted least-load counted in rounds of parallel slots. Pick the minimum of
/// (⌊q / c⌋ + 1) / w, the number of rounds of work ahead of a new task (q load, c capacity) divided by the
/// worker's speed w; among equals the minimum (q + 1) / w, then uniformly at random.
/// </summary>
/// <remarks>
/// <para>
/// Why not (q + 1) / w alone: a worker runs up to c tasks side by side, so a task that finds a free slot
/// starts at once and takes (its cost) / w whatever the others on that worker do. (q + 1) / w ranks an idle
/// worker of weight 1 level with a worker of weight 8 holding 7 tasks out of 16 slots, yet the task ends
/// eight times sooner on the second. Every candidate the fleet view offers has a free slot (q &lt; c), so
/// this rule sends each task to the fastest worker with a free slot, and spreads tasks over equally fast
/// workers by (q + 1) / w. For serial workers (c = 1) it is exactly (q + 1) / w.
/// </para>
/// <para>
/// With the capacity rule holding tasks back at the dispatcher (late binding), that is what an ideal shared
/// queue does when the fastest idle worker takes the next task; the fleet simulator measures it within a
/// few percent of the shared queue's latency (README, "Balancing"). Use <see cref="WeightedLeastLoadStrategy"/>
/// when workers' speeds per task are not what their weights say but their queue lengths should still be
/// proportional to weight.
/// </para>
/// </remarks>
public sealed class FastestFreeSlotStrategy(Random random) : ILoadBalancingStrategy
{
    /// <summary>Configuration name.</summary>
    public const string StrategyName = "fastest-free-slot";

    /// <summary>Relative tolerance under which two scores count as equal.</summary>
    private const double Tolerance = 1e-12;

    private readonly TiedCandidates _ties = new(random);

    /// <inheritdoc />
    public string Name => StrategyName;

    /// <inheritdoc />
    public int Select(ReadOnlySpan<WorkerCandidate> candidates)
    {
        if (candidates.IsEmpty)
        {
            return -1;
        }

        // Compared by cross-multiplication, without dividing: k / w against bk / bw for the rounds
        // k = ⌊q / c⌋ + 1 (1 whenever there is a free slot, the usual case), then (q + 1) / w likewise.
        var ties = _ties.Buffer(candidates.Length);
        ties[0] = 0;
        var tied = 1;
        var bestRounds = (double)RoundsAhead(candidates[0]);
        var bestLoad = candidates[0].Load + 1.0;
        var bestWeight = candidates[0].Weight;
        for (var i = 1; i < candidates.Length; i++)
        {
            ref readonly var candidate = ref candidates[i];
            var rounds = RoundsAhead(candidate) * bestWeight;
            var threshold = bestRounds * candidate.Weight;
            if (rounds > threshold * (1 + Tolerance))
            {
                continue;
            }

            var load = (candidate.Load + 1.0) * bestWeight;
            var loadThreshold = bestLoad * candidate.Weight;
            if (rounds < threshold * (1 - Tolerance) || load < loadThreshold * (1 - Tolerance))
            {
                bestRounds = RoundsAhead(candidate);
                bestLoad = candidate.Load + 1.0;
                bestWeight = candidate.Weight;
                tied = 0;
                ties[tied++] = i;
            }
            else if (load <= loadThreshold * (1 + Tolerance))
            {
                ties[tied++] = i;
            }
        }

        return _ties.Pick(ties, tied);
    }

    /// <summary>(⌊q / c⌋ + 1) / w: rounds of work ahead of a new task, per unit of speed.</summary>
    public static double Rounds(in WorkerCandidate candidate) => RoundsAhead(candidate) / candidate.Weight;

    /// <summary>⌊q / c⌋ + 1: 1 while a slot is free.</summary>
    private static int RoundsAhead(in WorkerCandidate candidate) =>
        candidate.Load < candidate.Capacity ? 1 : (candidate.Load / Math.Max(1, candidate.Capacity)) + 1;
}
