namespace WorkFleet.Balancing.CostAware;

/// <summary>What <see cref="CostAwarePlacement.Decide"/> advises for one waiting task.</summary>
public enum PlacementKind
{
    /// <summary>No worker can take it now or is worth waiting for: leave it waiting.</summary>
    Wait,

    /// <summary>Start it now on the worker named.</summary>
    Start,

    /// <summary>Hold it for the worker named, which is expected to free a slot soon enough to finish it first.</summary>
    Hold,
}
