namespace WorkFleet.Balancing.Strategies;

/// <summary>
/// Picks the candidate with the lowest estimated load q, ignoring weight; ties are broken uniformly at random.
/// </summary>
/// <remarks>
/// Good when workers are alike but tasks vary in length (load tracks the work left); with workers of
/// different speeds it treats a slow worker's free slot like a fast one's, where weighted-least-load does not.
/// </remarks>
public sealed class LeastConnectionsStrategy(Random random) : ILoadBalancingStrategy
{
    /// <summary>Configuration name.</summary>
    public const string StrategyName = "least-connections";

    private readonly TiedCandidates _ties = new(random);

    /// <inheritdoc />
    public string Name => StrategyName;

    /// <inheritdoc />
    public int Select(ReadOnlySpan<WorkerCandidate> candidates)
    {
        var ties = _ties.Buffer(candidates.Length);
        var tied = 0;
        var bestLoad = int.MaxValue;
        for (var i = 0; i < candidates.Length; i++)
        {
            var load = candidates[i].Load;
            if (load <= bestLoad)
            {
                if (load < bestLoad)
                {
                    bestLoad = load;
                    tied = 0;
                }

                ties[tied++] = i;
            }
        }

        return _ties.Pick(ties, tied);
    }
}
