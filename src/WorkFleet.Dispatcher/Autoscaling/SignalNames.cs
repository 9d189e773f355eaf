namespace WorkFleet.Dispatcher.Autoscaling;

/// <summary>The signals the autoscaler can scale on (<see cref="AutoscalerOptions.Signal"/>).</summary>
public static class SignalNames
{
    /// <summary>(running + waiting tasks) / capacity of every worker the platform runs or starts.</summary>
    public const string Utilization = "utilization";

    /// <summary>The serving workers' mean resource load, max(host CPU, host memory), scaled to every worker.</summary>
    public const string Resource = "resource";

    /// <summary>Accepted names.</summary>
    public static IReadOnlyList<string> All { get; } = [Utilization, Resource];
}
