namespace WorkFleet.Simulation.Engine;

/// <summary>The raw outcome of a run, per task and per worker.</summary>
/// <param name="StartMs">When each task started running.</param>
/// <param name="CompletionMs">When each task finished.</param>
/// <param name="WorkerOf">Which worker ran each task.</param>
/// <param name="Workers">The workers' final state and instrumentation.</param>
/// <param name="DueMs">When each task became due, for runs that order by expected cost; otherwise null.</param>
/// <param name="TakenBy">The dispatcher that took each task, where it is not the one drawn for it; otherwise null.</param>
internal sealed record RunRecord(double[] StartMs, double[] CompletionMs, int[] WorkerOf, SimulatedWorker[] Workers, double[]? DueMs = null, int[]? TakenBy = null);
