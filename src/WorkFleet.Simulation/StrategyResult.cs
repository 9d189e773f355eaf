namespace WorkFleet.Simulation;

/// <summary>How one strategy did on a scenario. Times are simulated milliseconds.</summary>
public sealed record StrategyResult
{
    /// <summary>Strategy name (a <c>StrategyCatalog</c> name or <see cref="FleetSimulator.SharedQueue"/>).</summary>
    public required string Name { get; init; }

    /// <summary>Tasks that completed (all of them: a run ends only when the last one finishes).</summary>
    public required int Completed { get; init; }

    /// <summary>Median latency, arrival to completion (nearest rank).</summary>
    public required double P50Ms { get; init; }

    /// <summary>95th percentile latency (nearest rank).</summary>
    public required double P95Ms { get; init; }

    /// <summary>99th percentile latency (nearest rank).</summary>
    public required double P99Ms { get; init; }

    /// <summary>Mean latency.</summary>
    public required double MeanMs { get; init; }

    /// <summary>Largest latency.</summary>
    public required double MaxMs { get; init; }

    /// <summary>Mean time from arrival to start (in a dispatcher's FIFO, the shared queue, or a worker's FIFO).</summary>
    public required double MeanWaitMs { get; init; }

    /// <summary>When the last task completed.</summary>
    public required double MakespanMs { get; init; }

    /// <summary>
    /// A makespan no strategy can beat on this workload: max(max_k(a_k + x_k / s_max), Σ x_k / Σ(s_i · c_i)),
    /// with a_k the arrival time of task k, x_k its cost (ms at speed 1), s_max the fastest speed. Valid
    /// because task k cannot finish before it arrives and runs on the fastest worker, and the fleet cannot
    /// complete more than Σ(s_i · c_i) work per unit of time from time 0. The first term includes the last
    /// arrival time, so this is never below max(last arrival, total work / total speed-capacity).
    /// </summary>
    public required double LowerBoundMs { get; init; }

    /// <summary>
    /// A p99 latency no strategy can beat on this workload, not even one that knew every cost in advance: the
    /// p99 of x_k / s_max over the tasks. Valid because every task's latency is at least its run time on the
    /// fastest worker, and when each of n values is at least its partner, the values' p99 is at least the
    /// partners' p99. So no strategy can be r times better than another whose p99 is below r × this floor.
    /// </summary>
    public required double P99FloorMs { get; init; }

    /// <summary>Share of the fleet's work capacity used over the makespan: Σ x_k / (makespan · Σ(s_i · c_i)).</summary>
    public required double Utilization { get; init; }

    /// <summary>Per-worker counts and instrumentation.</summary>
    public required IReadOnlyList<WorkerResult> Workers { get; init; }

    /// <summary>Every task's timeline, when the run was asked to record it; otherwise empty.</summary>
    public IReadOnlyList<SimulatedTask> Tasks { get; init; } = [];
}
