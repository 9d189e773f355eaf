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

    /// <summary>The load of <paramref name="workers"/> with <paramref name="waiting"/> tasks in line at <paramref name="now"/>.</summary>
    public static FleetLoad Of(IEnumerable<WorkerView> workers, (int Count, DateTimeOffset? OldestSince) waiting, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(workers);
        var serving = workers.Where(w => w.IsAlive && !w.Snapshot.IsDraining).ToList();
        return new FleetLoad(
            serving.Sum(w => w.Snapshot.Capacity),
            serving.Sum(w => w.EstimatedLoad),
            waiting.Count,
            waiting.OldestSince is { } since ? now - since : null);
    }
}
