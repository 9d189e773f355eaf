namespace WorkFleet.Balancing.Strategies;

/// <summary>The strategies a dispatcher (or the simulator) can be configured with, by name.</summary>
public static class StrategyCatalog
{
    /// <summary>The default strategy.</summary>
    public const string Default = FastestFreeSlotStrategy.StrategyName;

    /// <summary>Names accepted in <c>WorkFleet:Dispatcher:Strategy</c>, from the simplest to the most informed.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        RoundRobinStrategy.StrategyName,
        SmoothWeightedRoundRobinStrategy.StrategyName,
        RandomStrategy.StrategyName,
        LeastConnectionsStrategy.StrategyName,
        PowerOfTwoChoicesStrategy.StrategyName,
        WeightedLeastLoadStrategy.StrategyName,
        ShortestExpectedCompletionStrategy.StrategyName,
        FastestFreeSlotStrategy.StrategyName,
    ];

    /// <summary>
    /// Creates a new instance of the named strategy (stateful ones keep their state per instance, so give each
    /// fleet view its own) or throws naming the setting and the valid names. <paramref name="random"/> is the
    /// source of every random choice: a seeded one makes decisions reproducible.
    /// </summary>
    public static ILoadBalancingStrategy Create(string name, Random random) => name switch
    {
        RoundRobinStrategy.StrategyName => new RoundRobinStrategy(),
        SmoothWeightedRoundRobinStrategy.StrategyName => new SmoothWeightedRoundRobinStrategy(),
        RandomStrategy.StrategyName => new RandomStrategy(random),
        LeastConnectionsStrategy.StrategyName => new LeastConnectionsStrategy(random),
        PowerOfTwoChoicesStrategy.StrategyName => new PowerOfTwoChoicesStrategy(random),
        WeightedLeastLoadStrategy.StrategyName => new WeightedLeastLoadStrategy(random),
        ShortestExpectedCompletionStrategy.StrategyName => new ShortestExpectedCompletionStrategy(random),
        FastestFreeSlotStrategy.StrategyName => new FastestFreeSlotStrategy(random),
        _ => throw new ArgumentException(
            $"WorkFleet:Dispatcher:Strategy '{name}' is unknown; valid: {string.Join(", ", Names)}.", nameof(name)),
    };
}
