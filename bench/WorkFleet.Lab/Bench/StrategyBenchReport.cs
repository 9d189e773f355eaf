namespace WorkFleet.Lab.Bench;

/// <summary>The result of <c>workfleet-lab bench-strategies</c>, printed as tables and (with --json) as one JSON line.</summary>
/// <param name="Settings">What ran.</param>
/// <param name="Runs">One per strategy, in the order they ran.</param>
/// <param name="LowerBoundMs">The simulator's makespan lower bound for the workload (the same for every strategy).</param>
/// <param name="SimulatedSharedQueue">The simulator's late-binding ideal (one shared FIFO) on the same workload, for reference.</param>
/// <param name="RealRanking">Strategies by measured p99, best first.</param>
/// <param name="SimulatedRanking">Strategies by simulated p99, best first.</param>
/// <param name="RankingsAgree">Whether the two rankings are the same order.</param>
public sealed record StrategyBenchReport(
    StrategyBenchSettings Settings,
    IReadOnlyList<StrategyBenchRun> Runs,
    double LowerBoundMs,
    LatencySummary SimulatedSharedQueue,
    IReadOnlyList<string> RealRanking,
    IReadOnlyList<string> SimulatedRanking,
    bool RankingsAgree);
