using WorkFleet.Balancing.Strategies;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>Maps the configured strategy name to an implementation.</summary>
public static class StrategyFactory
{
    /// <summary>Names accepted in <c>WorkFleet:Dispatcher:Strategy</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = [WeightedLeastLoadStrategy.StrategyName];

    /// <summary>Creates the named strategy or throws naming the setting and the valid names.</summary>
    public static ILoadBalancingStrategy Create(string name) => name switch
    {
        WeightedLeastLoadStrategy.StrategyName => new WeightedLeastLoadStrategy(),
        _ => throw new InvalidOperationException(
            $"WorkFleet:Dispatcher:Strategy '{name}' is unknown; valid: {string.Join(", ", Names)}."),
    };
}
