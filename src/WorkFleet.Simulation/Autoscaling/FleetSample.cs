namespace WorkFleet.Simulation.Autoscaling;

/// <summary>The fleet at one control-loop step, for plots.</summary>
/// <param name="Seconds">Simulated time.</param>
/// <param name="Workers">Workers in the fleet (starting, ready and draining: all paid for).</param>
/// <param name="ReadyWorkers">Workers taking tasks.</param>
/// <param name="Load">Running plus waiting tasks.</param>
/// <param name="OfferedLoad">The trace's arrival rate times the mean run time: the tasks in the system the rate implies.</param>
public readonly record struct FleetSample(double Seconds, int Workers, int ReadyWorkers, int Load, double OfferedLoad);
