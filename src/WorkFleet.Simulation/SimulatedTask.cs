namespace WorkFleet.Simulation;

/// <summary>One task's timeline in a recorded run (simulated milliseconds).</summary>
/// <param name="Worker">The worker that ran it.</param>
/// <param name="Dispatcher">
/// The dispatcher that took it: drawn at random for every run, except that several cost-aware dispatchers take
/// submits by priority (<see cref="SimulationScenario.EqualSubmitPriorities"/>); the shared queue has none and ignores it.
/// </param>
/// <param name="ArrivalMs">When it arrived.</param>
/// <param name="StartMs">When its worker started it.</param>
/// <param name="CompletionMs">When it finished.</param>
/// <param name="CostMs">Its cost as run time on a worker of speed 1.</param>
public readonly record struct SimulatedTask(int Worker, int Dispatcher, double ArrivalMs, double StartMs, double CompletionMs, double CostMs)
{
    /// <summary>
    /// For the cost-aware strategies, when the task became due (<c>AgingRule</c>): from then on no task that arrives
    /// later at the same queue starts before it. Its arrival for every other strategy.
    /// </summary>
    public double DueMs { get; init; }
}
