namespace WorkFleet.Balancing.Strategies;

/// <summary>Picks a candidate uniformly at random, ignoring weight and load.</summary>
/// <remarks>
/// Stateless and cheap, and immune to herding, but blind: with workers of different speeds it loads the slow
/// ones as much as the fast ones. A baseline; prefer power-of-two for the same cost with load awareness.
/// </remarks>
public sealed class RandomStrategy(Random random) : ILoadBalancingStrategy
{
    /// <summary>Configuration name.</summary>
    public const string StrategyName = "random";

    /// <inheritdoc />
    public string Name => StrategyName;

    /// <inheritdoc />
    public int Select(ReadOnlySpan<WorkerCandidate> candidates) =>
        candidates.IsEmpty ? -1 : random.Next(candidates.Length);
}
