namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>
/// How loaded the fleet is, as this dispatcher sees it: the autoscaler's main signal and the operator's first
/// question. Only workers that can take tasks (live, not draining) count towards capacity and running tasks.
/// </summary>
/// <param name="Capacity">Slots of the workers that take tasks.</param>
/// <param name="Running">Tasks those workers hold (the ledger's estimate).</param>
/// <param name="Waiting">Tasks waiting at this dispatcher for a slot.</param>
/// <param name="OldestWaitingAge">How long the longest-waiting task has waited; null when none waits.</param>
public sealed record FleetLoad(int Capacity, int Running, int Waiting, TimeSpan? OldestWaitingAge)
{
    /// <summary>(running + waiting) / capacity: above 1, tasks queue; null when no worker takes tasks.</summary>
    public double? Utilization => Capacity == 0 ? null : (double)(Running + Waiting) / Capacity;

    /// <summary>
    /// Mean of the serving workers' resource load (max of host CPU and memory, 0..1); null when none reported one.
    /// </summary>
    public double? ResourceLoadMean { get; init; }

    /// <summary>Highest resource load among the serving workers; null when none reported one.</summary>
    public double? ResourceLoadMax { get; init; }

    /// <summary>The load of <paramref name="workers"/> with <paramref name="waiting"/> tasks in line at <paramref name="now"/>.</summary>
    public static FleetLoad Of(IEnumerable<WorkerView> workers, (int Count, DateTimeOffset? OldestSince) waiting, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(workers);
        var serving = workers.Where(w => w.IsAlive && !w.Snapshot.IsDraining).ToList();
        var resourceLoads = serving.Select(w => w.Snapshot.ResourceLoad).OfType<double>().ToList();
        return new FleetLoad(
            serving.Sum(w => w.Snapshot.Capacity),
            serving.Sum(w => w.EstimatedLoad),
            waiting.Count,
            waiting.OldestSince is { } since ? now - since : null)
        {
            ResourceLoadMean = resourceLoads.Count == 0 ? null : resourceLoads.Average(),
            ResourceLoadMax = resourceLoads.Count == 0 ? null : resourceLoads.Max(),
        };
    }
}
