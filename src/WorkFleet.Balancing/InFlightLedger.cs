namespace WorkFleet.Balancing;

/// <summary>
/// The dispatcher's own record of attempts it assigned and has not yet seen finish, per worker. Heartbeats
/// arrive about once a second; between two of them this ledger is what keeps the load estimate true, so
/// tasks do not all herd onto the worker that looked idle in its last heartbeat. Not thread-safe.
/// </summary>
public sealed class InFlightLedger
{
    private readonly Dictionary<string, HashSet<AssignmentKey>> _byWorker = new(StringComparer.Ordinal);

    /// <summary>Total outstanding assignments across workers.</summary>
    public int Count { get; private set; }

    /// <summary>Records an assignment. Returns false if it was already recorded (idempotent).</summary>
    public bool Assign(string workerId, AssignmentKey key)
    {
        if (!_byWorker.TryGetValue(workerId, out var keys))
        {
            keys = [];
            _byWorker[workerId] = keys;
        }

        if (!keys.Add(key))
        {
            return false;
        }

        Count++;
        return true;
    }

    /// <summary>Forgets a finished (or abandoned) assignment. Returns false if it was unknown.</summary>
    public bool Release(string workerId, AssignmentKey key)
    {
        if (!_byWorker.TryGetValue(workerId, out var keys) || !keys.Remove(key))
        {
            return false;
        }

        Count--;
        return true;
    }

    /// <summary>Outstanding assignments of one worker.</summary>
    public int Outstanding(string workerId) => _byWorker.TryGetValue(workerId, out var keys) ? keys.Count : 0;

    /// <summary>The outstanding assignments of one worker (a copy).</summary>
    public IReadOnlyList<AssignmentKey> AssignmentsOf(string workerId) =>
        _byWorker.TryGetValue(workerId, out var keys) ? [.. keys] : [];

    /// <summary>Removes and returns every outstanding assignment of a worker (e.g. when it is lost).</summary>
    public IReadOnlyList<AssignmentKey> ReleaseAll(string workerId)
    {
        if (!_byWorker.Remove(workerId, out var keys))
        {
            return [];
        }

        Count -= keys.Count;
        return [.. keys];
    }
}
