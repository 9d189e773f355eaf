namespace WorkFleet.Balancing.Strategies;

/// <summary>The strategies a dispatcher (or the simulator) can be configured with, by name.</summary>
public static class StrategyCatalog
{
    /// <summary>The default strategy.</summary>
    public const string Default = WeightedLeastLoadStrategy.StrategyName;

    /// <summary>Names accepted in <c>WorkFleet:Dispatcher:Strategy</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = [WeightedLeastLoadStrategy.StrategyName];

    /// <summary>Creates the named strategy or throws naming the setting and the valid names.</summary>
    public static ILoadBalancingStrategy Create(string name, Random random) => name switch
    {
        WeightedLeastLoadStrategy.StrategyName => new WeightedLeastLoadStrategy(random),
        _ => throw new ArgumentException($"Strategy '{name}' is unknown; valid: {string.Join(", ", Names)}.", nameof(name)),
    };
}
