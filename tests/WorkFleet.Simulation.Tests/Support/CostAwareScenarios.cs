using System.Collections.Concurrent;
using WorkFleet.Balancing.CostAware;
using WorkFleet.Simulation;

namespace WorkFleet.Simulation.Tests.Support;

/// <summary>
/// The scenarios issue 15's claims are checked on: the documented ones (<see cref="Scenarios"/>, seed 1) with task
/// cost cv 1, 2 and 3, every task carrying a hint with lognormal noise of cv 0.3. Named "Scenario/cvN".
/// </summary>
internal static class CostAwareScenarios
{
    /// <summary>Hint noise of the claims.</summary>
    public const double HintCv = 0.3;

    private static readonly ConcurrentDictionary<string, Lazy<IReadOnlyDictionary<string, StrategyResult>>> Cache = new(StringComparer.Ordinal);

    private static readonly string[] Compared = [FleetSimulator.SharedQueue, FleetSimulator.SharedQueueSjf, CostAwarePlacement.StrategyName];

    /// <summary>Every scenario and cv.</summary>
    public static TheoryData<string> Names =>
        [.. from scenario in new[] { nameof(Scenarios.Default), nameof(Scenarios.Sixteen), nameof(Scenarios.FourDispatchers), nameof(Scenarios.OneFastWorker) }
            from cv in new[] { 1, 2, 3 }
            select $"{scenario}/cv{cv}"];

    /// <summary>The scenario of a name from <see cref="Names"/>.</summary>
    public static SimulationScenario ByName(string name)
    {
        var parts = name.Split("/cv");
        return Scenarios.ByName(parts[0]) with { CostCv = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), HintCv = HintCv };
    }

    /// <summary>
    /// The shared queue, the shortest-first shared queue and the cost-aware strategy on a named scenario, run once
    /// per test run; the cost-aware strategies' results list every task.
    /// </summary>
    public static IReadOnlyDictionary<string, StrategyResult> Of(string name) => Of(name, ByName);

    /// <summary>As <see cref="Of(string)"/> for any scenario, cached under <paramref name="name"/>.</summary>
    public static IReadOnlyDictionary<string, StrategyResult> Of(string name, Func<string, SimulationScenario> scenario) =>
        Cache.GetOrAdd(name, key => new Lazy<IReadOnlyDictionary<string, StrategyResult>>(() =>
        {
            var simulator = new FleetSimulator(scenario(key));
            return Compared.ToDictionary(s => s, s => simulator.Run(s, recordTasks: s != FleetSimulator.SharedQueue), StringComparer.Ordinal);
        })).Value;

    /// <summary>The numbers that matter, for assertion messages.</summary>
    public static string Table(IReadOnlyDictionary<string, StrategyResult> results) =>
        string.Join(Environment.NewLine, results.Values.Select(r => FormattableString.Invariant(
            $"{r.Name}: p50 {r.P50Ms:F1} p99 {r.P99Ms:F1} max {r.MaxMs:F1} ms, p99 floor {r.P99FloorMs:F1} ms")));
}
