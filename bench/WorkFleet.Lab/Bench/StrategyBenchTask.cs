namespace WorkFleet.Lab.Bench;

/// <summary>One measured task of a bench run.</summary>
/// <param name="CostMs">Its cost, in ms on a worker of speed 1.</param>
/// <param name="ScheduledMs">Its arrival in the workload, ms from the start of the run.</param>
/// <param name="SubmittedMs">When it was actually submitted, ms from the start of the run.</param>
/// <param name="LatencyMs">Submit to the client's receipt of its outcome; null when no outcome came.</param>
/// <param name="Succeeded">Whether the outcome was success.</param>
/// <param name="WorkerId">The worker that ran the deciding attempt.</param>
/// <param name="WorkerSpeed">That worker's speed; null when unknown.</param>
public sealed record StrategyBenchTask(
    double CostMs,
    double ScheduledMs,
    double SubmittedMs,
    double? LatencyMs,
    bool Succeeded,
    string? WorkerId,
    double? WorkerSpeed);
