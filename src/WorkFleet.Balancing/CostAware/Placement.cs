namespace WorkFleet.Balancing.CostAware;

/// <summary>The advice for one waiting task.</summary>
/// <param name="Kind">Start, hold or wait.</param>
/// <param name="Worker">The worker to start it on or to hold it for; -1 for <see cref="PlacementKind.Wait"/>.</param>
/// <param name="ExpectedFinishInMs">When the task is expected to finish there, from now; +∞ when unknown.</param>
public readonly record struct Placement(PlacementKind Kind, int Worker, double ExpectedFinishInMs);
