namespace WorkFleet.Dispatcher.Autoscaling;

/// <summary>The workers the autoscaler is removing, from the drain command until their removal, and the recent past.</summary>
public sealed class DrainTracker(int kept = 50)
{
    /// <summary>Drain state: the drain command was sent, the worker has not reported Stopped yet.</summary>
    public const string Draining = "draining";

    /// <summary>Drain state: the worker was removed after it reported Stopped (or left the fleet view).</summary>
    public const string Removed = "removed";

    /// <summary>Drain state: the worker was removed when its drain timeout passed.</summary>
    public const string TimedOut = "timed-out";

    /// <summary>Drain state: the platform could not prepare the removal, so the worker was never told to drain.</summary>
    public const string Cancelled = "cancelled";

    private readonly List<DrainEntry> _entries = [];

    /// <summary>Drains in progress and recently finished, oldest first.</summary>
    public IReadOnlyList<DrainEntry> Entries => _entries;

    /// <summary>Workers still draining.</summary>
    public IEnumerable<DrainEntry> InProgress => _entries.Where(e => e.State == Draining);

    /// <summary>Whether a drain of <paramref name="workerId"/> is in progress.</summary>
    public bool IsDraining(string workerId) => _entries.Any(e => e.State == Draining && e.WorkerId == workerId);

    /// <summary>Records that <paramref name="workerId"/> was told to drain at <paramref name="at"/>.</summary>
    public void Started(string workerId, DateTimeOffset at)
    {
        _entries.Add(new DrainEntry(workerId, at, Draining));
        while (_entries.Count > kept && _entries.FindIndex(e => e.State != Draining) is var done and >= 0)
        {
            _entries.RemoveAt(done);
        }
    }

    /// <summary>Records how the drain of <paramref name="workerId"/> ended.</summary>
    public void Finished(string workerId, string state)
    {
        var index = _entries.FindIndex(e => e.State == Draining && e.WorkerId == workerId);
        if (index >= 0)
        {
            _entries[index] = _entries[index] with { State = state };
        }
    }
}
