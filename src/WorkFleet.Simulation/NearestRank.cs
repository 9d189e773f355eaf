namespace WorkFleet.Simulation;

/// <summary>Percentiles as the simulator reports them.</summary>
internal static class NearestRank
{
    /// <summary>Nearest-rank percentile of ascending values: the smallest value with at least p of them at or below it.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
