using WorkFleet.Simulation;

namespace WorkFleet.Lab.Bench;

/// <summary>One strategy's latencies (submit to outcome) and makespan, in ms, measured or simulated.</summary>
/// <param name="P50Ms">Median latency (nearest rank, as the simulator).</param>
/// <param name="P95Ms">95th percentile latency.</param>
/// <param name="P99Ms">99th percentile latency.</param>
/// <param name="MeanMs">Mean latency.</param>
/// <param name="MakespanMs">From the start of the arrivals to the last outcome.</param>
/// <param name="Utilization">Σ cost / (makespan · Σ(capacity · speed)).</param>
public sealed record LatencySummary(double P50Ms, double P95Ms, double P99Ms, double MeanMs, double MakespanMs, double Utilization)
{
    /// <summary>Largest latency, when known (the simulator's table shows it); NaN otherwise.</summary>
    public double MaxMs { get; init; } = double.NaN;

    /// <summary>Summarizes measured latencies.</summary>
    public static LatencySummary FromLatencies(IReadOnlyCollection<double> latenciesMs, double makespanMs, double totalWorkMs, double speedCapacity)
    {
        ArgumentNullException.ThrowIfNull(latenciesMs);
        if (latenciesMs.Count == 0)
        {
            return new LatencySummary(double.NaN, double.NaN, double.NaN, double.NaN, makespanMs, double.NaN);
        }

        var sorted = latenciesMs.Order().ToArray();
        return new LatencySummary(
            Round(Percentile(sorted, 0.50)),
            Round(Percentile(sorted, 0.95)),
            Round(Percentile(sorted, 0.99)),
            Round(sorted.Average()),
            Round(makespanMs),
            Math.Round(totalWorkMs / (makespanMs * speedCapacity), 4));
    }

    /// <summary>The simulator's numbers for one strategy.</summary>
    public static LatencySummary FromSimulation(StrategyResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new LatencySummary(
            Round(result.P50Ms), Round(result.P95Ms), Round(result.P99Ms), Round(result.MeanMs), Round(result.MakespanMs), Math.Round(result.Utilization, 4));
    }

    private static double Round(double ms) => Math.Round(ms, 1);

    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
