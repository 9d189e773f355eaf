using WorkFleet.Balancing.CostAware;
using WorkFleet.Balancing.Strategies;
using WorkFleet.Simulation;

namespace WorkFleet.Lab.Bench;

/// <summary>What <c>workfleet-lab bench-strategies</c> runs: one scenario, several dispatcher strategies.</summary>
/// <param name="Strategies">Dispatcher strategies (<c>StrategyCatalog</c> names), run in this order.</param>
/// <param name="Speeds">One worker per entry: its weight and the speed its <c>bench.sleep</c> tasks run at; capacity 2 × speed.</param>
/// <param name="Tasks">Measured tasks per strategy.</param>
/// <param name="Load">Target utilization of the fleet's Σ(capacity · speed), in (0, 1].</param>
/// <param name="CostMs">Mean task cost, in ms on a worker of speed 1.</param>
/// <param name="CostCv">Coefficient of variation of the lognormal task cost.</param>
/// <param name="Seed">Seed of the workload (arrivals and costs); the same for every strategy.</param>
/// <param name="HintCv">
/// Noise of each task's <c>expectedCost</c> hint (its cost times a lognormal factor of mean 1 and this cv), null for no
/// hint; only <c>cost-aware</c> reads hints. Default 0.3.
/// </param>
public sealed record StrategyBenchSettings(
    IReadOnlyList<string> Strategies,
    IReadOnlyList<double> Speeds,
    int Tasks,
    double Load,
    double CostMs,
    double CostCv,
    int Seed,
    double? HintCv = 0.3)
{
    /// <summary>
    /// The defaults: about a minute for the three strategies on a 2-core machine. Load 0.5 because at 0.85, with
    /// capacity 2 × speed, the simulator puts every strategy within about 10 % of the others (too close for a
    /// real run's noise to rank), and 1 s tasks so the stack's own time per task (tens of ms) stays small beside
    /// the fastest worker's 250 ms.
    /// </summary>
    public static StrategyBenchSettings Default { get; } = new(
        [StrategyCatalog.Default, "weighted-least-load", "round-robin"], [1, 1, 2, 4], Tasks: 400, Load: 0.5, CostMs: 1000, CostCv: 1, Seed: 1);

    /// <summary>The heartbeat period of the bench's workers (the worker default) and of the simulation.</summary>
    public static TimeSpan Heartbeat { get; } = TimeSpan.FromSeconds(1);

    /// <summary>What is wrong with the settings, naming the command-line option; null when they are valid.</summary>
    public string? Problem()
    {
        var unknown = Strategies.FirstOrDefault(s => !StrategyCatalog.Names.Contains(s, StringComparer.Ordinal) && s != CostAwarePlacement.StrategyName);
        return Strategies.Count == 0 ? "--strategies must name at least one strategy."
            : unknown is not null ? $"--strategies: '{unknown}' is unknown; valid: {string.Join(", ", StrategyCatalog.Names)}, {CostAwarePlacement.StrategyName}."
            : Strategies.Distinct(StringComparer.Ordinal).Count() != Strategies.Count ? "--strategies must not name a strategy twice."
            : Speeds.Count is < 1 or > 64 ? "--speeds must list 1..64 workers."
            : Speeds.Any(s => !double.IsFinite(s) || s <= 0 || s > 512) ? "--speeds must be numbers in (0, 512] (capacity is 2 x speed, at most 1024)."
            : Tasks is < 10 or > 1_000_000 ? "--tasks must be within 10..1000000."
            : !(Load is > 0 and <= 1) ? "--load must be in (0, 1]."
            : !(CostMs is >= 1 and <= 60_000) ? "--cost-ms must be within 1..60000."
            : !(CostCv is >= 0 and <= 10) ? "--cost-cv must be in [0, 10]."
            : HintCv is not null and not (>= 0 and <= 10) ? "--hint-cv must be in [0, 10] (or none)."
            : null;
    }

    /// <summary>The identical scenario for <see cref="FleetSimulator"/>.</summary>
    public SimulationScenario ToScenario() => new()
    {
        Speeds = Speeds,
        Load = Load,
        TaskCount = Tasks,
        CostCv = CostCv,
        CostUnitMs = CostMs,
        HeartbeatMs = Heartbeat.TotalMilliseconds,
        Seed = Seed,
        HintCv = HintCv,
    };
}
