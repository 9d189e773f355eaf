namespace WorkFleet.Simulation.Autoscaling;

/// <summary>A fleet of fixed size: never scales.</summary>
internal sealed class StaticSizer(int workers) : IFleetSizer
{
    /// <inheritdoc />
    public int InitialWorkers => workers;

    /// <inheritdoc />
    public int Decide(FleetObservation observation) => workers;
}
