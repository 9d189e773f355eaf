namespace WorkFleet.Dispatcher.Autoscaling;

/// <summary>The signals the autoscaler can scale on (<see cref="AutoscalerOptions.Signal"/>).</summary>
public static class SignalNames
{
    /// <summary>(running + waiting tasks) / capacity of every worker the platform runs or starts.</summary>
    public const string Utilization = "utilization";

    /// <summary>
    /// (arrival rate + waiting / backlog drain time) × mean task run time, in slots, over every worker's slots
    /// (DemandSignal): what the simulator shows to scale best. Predictive policies forecast the arrival rate.
    /// </summary>
    public const string Demand = "demand";

    /// <summary>The serving workers' mean resource load, max(host CPU, host memory), scaled to every worker.</summary>
    public const string Resource = "resource";

    /// <summary>Accepted names.</summary>
    public static IReadOnlyList<string> All { get; } = [Utilization, Demand, Resource];
}
