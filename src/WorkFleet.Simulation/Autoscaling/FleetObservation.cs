namespace WorkFleet.Simulation.Autoscaling;

/// <summary>What a fleet sizer sees at one control-loop step: the fleet now and what happened since the last step.</summary>
/// <param name="Seconds">Simulated time of the decision.</param>
/// <param name="PeriodSeconds">Time since the previous decision (or since the start).</param>
/// <param name="CurrentWorkers">Workers in the fleet and not draining (starting ones included).</param>
/// <param name="Load">Running plus waiting tasks.</param>
/// <param name="Waiting">Waiting tasks.</param>
/// <param name="Arrivals">Tasks that arrived during the period.</param>
/// <param name="Completions">Tasks that finished during the period.</param>
/// <param name="CompletedRunSeconds">Sum of the run times of those tasks.</param>
internal readonly record struct FleetObservation(
    double Seconds,
    double PeriodSeconds,
    int CurrentWorkers,
    int Load,
    int Waiting,
    int Arrivals,
    int Completions,
    double CompletedRunSeconds);
