using System.Text.Json.Serialization;

namespace WorkFleet.Lab.Bench;

/// <summary>One strategy on the real stack, beside the simulator's prediction for the same scenario.</summary>
/// <param name="Strategy">The dispatcher's <c>WorkFleet:Dispatcher:Strategy</c>.</param>
/// <param name="Real">Measured on RabbitMQ + PostgreSQL.</param>
/// <param name="Simulated">The simulator's numbers for the identical workload.</param>
/// <param name="Completed">Tasks that succeeded.</param>
/// <param name="Failed">Tasks whose outcome was failure.</param>
/// <param name="Lost">Tasks without an outcome before the run's deadline.</param>
/// <param name="TargetRatePerSecond">The workload's arrival rate: (n − 1) / (last arrival − first arrival).</param>
/// <param name="AchievedRatePerSecond">The same over the actual submit times; below the target, the bench could not keep up.</param>
/// <param name="SubmitLagP99Ms">99th percentile of actual minus scheduled submit time.</param>
/// <param name="OverheadP50Ms">Median of latency minus the task's own run time (cost / speed of its worker): waiting plus the stack's own time.</param>
/// <param name="OverheadP99Ms">99th percentile of the same.</param>
/// <param name="Tasks">Every task, in workload order (not serialized).</param>
public sealed record StrategyBenchRun(
    string Strategy,
    LatencySummary Real,
    LatencySummary Simulated,
    int Completed,
    int Failed,
    int Lost,
    double TargetRatePerSecond,
    double AchievedRatePerSecond,
    double SubmitLagP99Ms,
    double OverheadP50Ms,
    double OverheadP99Ms,
    [property: JsonIgnore] IReadOnlyList<StrategyBenchTask> Tasks);
