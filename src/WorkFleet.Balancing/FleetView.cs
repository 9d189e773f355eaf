using WorkFleet.Balancing.Strategies;

namespace WorkFleet.Balancing;

/// <summary>
/// The dispatcher's picture of the fleet: the latest heartbeat per worker plus its own ledger of
/// assignments, and the rule that turns both into a choice. Pure and not thread-safe: the caller serializes
/// access (one lock around select + assign keeps two concurrent dispatches from taking the same slot).
/// </summary>
/// <remarks>
/// Estimated load q = ledger outstanding + foreign load, where foreign load = max(0, reported − ledger
/// outstanding at the heartbeat). The ledger counts what this dispatcher sent and has not seen finish
/// (including messages still in transit, which no heartbeat can see); the foreign part keeps work that
/// other dispatchers (or a previous incarnation) assigned, as last reported.
/// </remarks>
public sealed class FleetView(ILoadBalancingStrategy strategy, TimeSpan livenessTimeout)
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly List<Entry> _list = [];
    private WorkerCandidate[] _candidates = new WorkerCandidate[16];

    /// <summary>Assignments this dispatcher made and has not yet seen finish.</summary>
    public InFlightLedger Ledger { get; } = new();

    /// <summary>How long after its last heartbeat a worker still counts as alive.</summary>
    public TimeSpan LivenessTimeout => livenessTimeout;

    /// <summary>The latest snapshot of every known worker.</summary>
    public IEnumerable<WorkerSnapshot> Workers => _list.Select(e => e.Snapshot);

    /// <summary>
    /// Applies a heartbeat. Returns false (and changes nothing) when it is older than what is known for the
    /// same worker incarnation.
    /// </summary>
    public bool Apply(WorkerSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (_entries.TryGetValue(snapshot.WorkerId, out var entry))
        {
            var known = entry.Snapshot;
            if (snapshot.Incarnation < known.Incarnation
                || (snapshot.Incarnation == known.Incarnation && snapshot.Sequence <= known.Sequence))
            {
                return false;
            }

            entry.Snapshot = snapshot;
        }
        else
        {
            entry = new Entry(snapshot);
            _entries.Add(snapshot.WorkerId, entry);
            _list.Add(entry);
        }

        entry.ForeignLoad = Math.Max(0, snapshot.ReportedLoad - Ledger.Outstanding(snapshot.WorkerId));
        return true;
    }

    /// <summary>Forgets a worker (it left for good); its ledger entries are returned to the caller.</summary>
    public IReadOnlyList<AssignmentKey> Remove(string workerId)
    {
        if (_entries.Remove(workerId, out var entry))
        {
            _list.Remove(entry);
        }

        return Ledger.ReleaseAll(workerId);
    }

    /// <summary>The snapshot of a worker, if known.</summary>
    public WorkerSnapshot? Find(string workerId) => _entries.TryGetValue(workerId, out var e) ? e.Snapshot : null;

    /// <summary>Estimated load q of a worker (see the class remarks).</summary>
    public int EstimatedLoad(string workerId) =>
        Ledger.Outstanding(workerId) + (_entries.TryGetValue(workerId, out var e) ? e.ForeignLoad : 0);

    /// <summary>True when the worker's last heartbeat is recent enough at <paramref name="now"/>.</summary>
    public bool IsAlive(WorkerSnapshot worker, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(worker);
        return now - worker.LastSeen <= livenessTimeout;
    }

    /// <summary>
    /// Chooses a worker for a task: eligible = alive, not draining, meets the requirements, and estimated
    /// load below capacity; among those the strategy decides. Does not record the assignment: call
    /// <see cref="InFlightLedger.Assign"/> on <see cref="Ledger"/> under the same lock.
    /// </summary>
    public Selection Select(TaskRequirements requirements, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        if (_candidates.Length < _list.Count)
        {
            _candidates = new WorkerCandidate[_list.Count * 2];
        }

        var count = 0;
        var anyLive = false;
        var anyCapable = false;
        for (var i = 0; i < _list.Count; i++)
        {
            var worker = _list[i].Snapshot;
            if (worker.IsDraining || !IsAlive(worker, now))
            {
                continue;
            }

            anyLive = true;
            if (!requirements.IsMetBy(worker))
            {
                continue;
            }

            anyCapable = true;
            var load = Ledger.Outstanding(worker.WorkerId) + _list[i].ForeignLoad;
            if (load < worker.Capacity)
            {
                _candidates[count++] = new WorkerCandidate(i, worker.Weight, worker.Capacity, load, worker.EwmaTaskDurationMs);
            }
        }

        if (count == 0)
        {
            var outcome = anyCapable ? SelectionOutcome.NoFreeSlot
                : anyLive ? SelectionOutcome.NoCapableWorker
                : SelectionOutcome.NoLiveWorker;
            return new Selection(outcome, null);
        }

        var chosen = strategy.Select(_candidates.AsSpan(0, count));
        return new Selection(SelectionOutcome.Selected, _list[_candidates[chosen].Index].Snapshot.WorkerId);
    }

    private sealed class Entry(WorkerSnapshot snapshot)
    {
        public WorkerSnapshot Snapshot { get; set; } = snapshot;

        public int ForeignLoad { get; set; }
    }
}
