using System.Collections.Concurrent;
using WorkFleet.Simulation;

namespace WorkFleet.Simulation.Tests.Support;

/// <summary>Runs each named scenario once per test run and shares the results between tests.</summary>
internal static class Results
{
    private static readonly ConcurrentDictionary<string, Lazy<IReadOnlyDictionary<string, StrategyResult>>> Cache = new(StringComparer.Ordinal);

    /// <summary>Every strategy's result on the named scenario (see <see cref="Scenarios"/>).</summary>
    public static IReadOnlyDictionary<string, StrategyResult> Of(string scenario) =>
        Cache.GetOrAdd(scenario, name => new Lazy<IReadOnlyDictionary<string, StrategyResult>>(() =>
            new FleetSimulator(Scenarios.ByName(name)).RunAll().ToDictionary(r => r.Name, StringComparer.Ordinal))).Value;

    /// <summary>One line with the numbers that matter, for assertion messages.</summary>
    public static string Describe(StrategyResult r) =>
        FormattableString.Invariant(
            $"{r.Name}: p50 {r.P50Ms:F1} p95 {r.P95Ms:F1} p99 {r.P99Ms:F1} mean {r.MeanMs:F1} ms, makespan {r.MakespanMs:F0} / bound {r.LowerBoundMs:F0} ms");

    /// <summary>The whole table, for assertion messages.</summary>
    public static string Table(IReadOnlyDictionary<string, StrategyResult> results) =>
        string.Join(Environment.NewLine, results.Values.OrderBy(r => r.P99Ms).Select(Describe));
}
