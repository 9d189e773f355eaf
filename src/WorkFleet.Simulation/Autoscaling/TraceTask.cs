namespace WorkFleet.Simulation.Autoscaling;

/// <summary>One task of a trace: when it arrives and how long it runs once started.</summary>
/// <param name="ArrivalSeconds">Arrival time, seconds from the start.</param>
/// <param name="CostSeconds">Run time in seconds.</param>
public readonly record struct TraceTask(double ArrivalSeconds, double CostSeconds);
