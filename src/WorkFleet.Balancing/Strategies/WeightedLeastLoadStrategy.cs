namespace WorkFleet.Balancing.Strategies;

/// <summary>
/// The default: pick the minimum of score = (q + 1) / w, where q is the worker's estimated load and w its
/// weight. (q + 1) is the load the worker would have with this task, so an idle fast worker beats an idle
/// slow one. Ties are broken uniformly at random so equal workers share work evenly.
/// </summary>
public sealed class WeightedLeastLoadStrategy(Random random) : ILoadBalancingStrategy
{
    /// <summary>Configuration name.</summary>
    public const string StrategyName = "weighted-least-load";

    /// <summary>Creates the strategy with a shared random source.</summary>
    public WeightedLeastLoadStrategy()
        : this(Random.Shared)
    {
    }

    /// <inheritdoc />
    public string Name => StrategyName;

    /// <inheritdoc />
    public int Select(ReadOnlySpan<WorkerCandidate> candidates)
    {
        var best = -1;
        var bestScore = double.PositiveInfinity;
        var ties = 0;
        for (var i = 0; i < candidates.Length; i++)
        {
            var score = Score(candidates[i]);
            if (score < bestScore * (1 - 1e-12))
            {
                best = i;
                bestScore = score;
                ties = 1;
            }
            else if (score <= bestScore * (1 + 1e-12))
            {
                // Reservoir sampling over the tied minimum: each of the k ties is kept with probability 1/k.
                ties++;
                if (random.Next(ties) == 0)
                {
                    best = i;
                }
            }
        }

        return best;
    }

    /// <summary>The score the strategy minimizes.</summary>
    public static double Score(in WorkerCandidate candidate) => (candidate.Load + 1) / candidate.Weight;
}
