namespace WorkFleet.Simulation.Autoscaling;

/// <summary>Chooses the fleet's worker count at each control-loop step of the simulation.</summary>
internal interface IFleetSizer
{
    /// <summary>Workers the fleet starts with, all ready at time 0.</summary>
    int InitialWorkers { get; }

    /// <summary>The desired worker count.</summary>
    int Decide(FleetObservation observation);
}
