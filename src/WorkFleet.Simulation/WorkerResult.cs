namespace WorkFleet.Simulation;

/// <summary>One worker's part in a run.</summary>
/// <param name="Speed">Its speed.</param>
/// <param name="Capacity">Its capacity.</param>
/// <param name="Completed">Tasks it ran.</param>
/// <param name="MaxRunning">Most tasks it ever ran at once; never above <paramref name="Capacity"/>.</param>
/// <param name="MaxQueued">Most tasks ever waiting in its own FIFO (sent beyond its capacity on a stale view).</param>
public readonly record struct WorkerResult(double Speed, int Capacity, int Completed, int MaxRunning, int MaxQueued);
