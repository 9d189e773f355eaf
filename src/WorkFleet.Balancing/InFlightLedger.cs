namespace WorkFleet.Balancing;

/// <summary>
/// The dispatcher's own record of attempts it assigned and has not yet seen finish, per worker. Heartbeats
/// arrive about once a second; between two of them this ledger is what keeps the load estimate true, so
/// tasks do not all herd onto the worker that looked idle in its last heartbeat. Not thread-safe.
/// </summary>
/// <remarks>
/// The ledger of a <see cref="FleetView"/> tells the view about every change to a known worker's count, so the
/// view keeps each worker's estimated load current instead of looking it up per worker per decision.
/// </remarks>
public sealed class InFlightLedger
{
    private readonly Dictionary<string, WorkerAssignments> _byWorker = new(StringComparer.Ordinal);
    private readonly Stack<int> _freeSlots = new();
    private int _nextSlot;

    /// <summary>Total outstanding assignments across workers.</summary>
    public int Count { get; private set; }

    /// <summary>Told about changes to tracked workers (see <see cref="Track"/>).</summary>
    internal ILedgerListener? Listener { get; set; }

    /// <summary>Records an assignment. Returns false if it was already recorded (idempotent).</summary>
    public bool Assign(string workerId, AssignmentKey key)
    {
        if (!_byWorker.TryGetValue(workerId, out var assignments))
        {
            assignments = new WorkerAssignments();
            _byWorker.Add(workerId, assignments);
        }

        if (!assignments.Keys.Add(key))
        {
            return false;
        }

        Count++;
        Notify(assignments);
        return true;
    }

    /// <summary>Forgets a finished (or abandoned) assignment. Returns false if it was unknown.</summary>
    public bool Release(string workerId, AssignmentKey key)
    {
        if (!_byWorker.TryGetValue(workerId, out var assignments) || !assignments.Keys.Remove(key))
        {
            return false;
        }

        Count--;
        Notify(assignments);
        return true;
    }

    /// <summary>Outstanding assignments of one worker.</summary>
    public int Outstanding(string workerId) => _byWorker.TryGetValue(workerId, out var assignments) ? assignments.Keys.Count : 0;

    /// <summary>The outstanding assignments of one worker (a copy).</summary>
    public IReadOnlyList<AssignmentKey> AssignmentsOf(string workerId) =>
        _byWorker.TryGetValue(workerId, out var assignments) ? [.. assignments.Keys] : [];

    /// <summary>Every outstanding assignment (a copy).</summary>
    public IReadOnlyList<(string WorkerId, AssignmentKey Key)> All() =>
        [.. _byWorker.SelectMany(worker => worker.Value.Keys.Select(key => (worker.Key, key)))];

    /// <summary>Removes and returns every outstanding assignment of a worker (e.g. when it is lost).</summary>
    public IReadOnlyList<AssignmentKey> ReleaseAll(string workerId)
    {
        if (!_byWorker.TryGetValue(workerId, out var assignments))
        {
            return [];
        }

        AssignmentKey[] released = [.. assignments.Keys];
        Count -= released.Length;
        if (assignments.Slot >= 0)
        {
            // Still tracked: keep the record (and its slot), empty.
            assignments.Keys.Clear();
            Notify(assignments);
        }
        else
        {
            _byWorker.Remove(workerId);
        }

        return released;
    }

    /// <summary>
    /// Starts telling <see cref="Listener"/> about <paramref name="workerId"/> under the returned slot, a small
    /// integer unique among tracked workers; <paramref name="outstanding"/> is its count now.
    /// </summary>
    internal int Track(string workerId, out int outstanding)
    {
        if (!_byWorker.TryGetValue(workerId, out var assignments))
        {
            assignments = new WorkerAssignments();
            _byWorker.Add(workerId, assignments);
        }

        if (assignments.Slot < 0)
        {
            assignments.Slot = _freeSlots.TryPop(out var slot) ? slot : _nextSlot++;
        }

        outstanding = assignments.Keys.Count;
        return assignments.Slot;
    }

    /// <summary>Stops tracking; the worker's assignments stay until released.</summary>
    internal void Untrack(string workerId)
    {
        if (_byWorker.TryGetValue(workerId, out var assignments) && assignments.Slot >= 0)
        {
            _freeSlots.Push(assignments.Slot);
            assignments.Slot = -1;
        }
    }

    private void Notify(WorkerAssignments assignments)
    {
        if (assignments.Slot >= 0)
        {
            Listener?.OnOutstandingChanged(assignments.Slot, assignments.Keys.Count);
        }
    }
}
