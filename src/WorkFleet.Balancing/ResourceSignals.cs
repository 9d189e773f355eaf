namespace WorkFleet.Balancing;

/// <summary>The resource-load scaling signal of the classic formulation, in one place for every reader.</summary>
public static class ResourceSignals
{
    /// <summary>
    /// max(host CPU, host memory), 0..1: the scarcer resource decides how loaded a host is. With one figure missing
    /// it is the other; null when both are.
    /// </summary>
    public static double? Load(double? cpu, double? memory) => (cpu, memory) switch
    {
        ({ } c, { } m) => Math.Max(c, m),
        _ => cpu ?? memory,
    };
}
