namespace WorkFleet.Simulation.Autoscaling;

/// <summary>Chooses the fleet's worker count at each control-loop step of the simulation.</summary>
internal interface IFleetSizer
{
    /// <summary>Workers the fleet starts with, all ready at time 0.</summary>
    int InitialWorkers { get; }

    /// <summary>The desired worker count.</summary>
    /// <param name="seconds">Simulated time of the decision.</param>
    /// <param name="currentWorkers">Workers in the fleet and not draining (starting ones included).</param>
    /// <param name="load">Running plus waiting tasks.</param>
    /// <param name="waiting">Waiting tasks.</param>
    int Decide(double seconds, int currentWorkers, int load, int waiting);
}
