using System.Collections.Concurrent;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>Workers that announced they are leaving (state Stopped), with when the dispatcher heard it.</summary>
public sealed class FleetDepartures
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _left = new(StringComparer.Ordinal);

    /// <summary>Records a departure (the first announcement counts).</summary>
    public void Record(string workerId, DateTimeOffset at) => _left.TryAdd(workerId, at);

    /// <summary>When the worker announced it left, if it did.</summary>
    public DateTimeOffset? LeftAt(string workerId) => _left.TryGetValue(workerId, out var at) ? at : null;

    /// <summary>Forgets a worker once it has been dealt with.</summary>
    public void Forget(string workerId) => _left.TryRemove(workerId, out _);
}
