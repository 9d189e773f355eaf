using Microsoft.Extensions.Options;
using WorkFleet.Dispatcher.Configuration;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>
/// The other dispatchers sharing the fleet, from their <c>DispatcherHeartbeat</c>s: whether attempts need to be
/// broadcast at all. Until this dispatcher has been up for <see cref="DiscoveryIntervals"/> heartbeat intervals it
/// cannot know (a running peer's next heartbeat may not have come yet), and assumes peers. Thread-safe.
/// </summary>
public sealed class PeerDispatchers(IOptions<DispatcherOptions> options, TimeProvider clock)
{
    /// <summary>Heartbeat intervals after start within which every running peer has been heard.</summary>
    public const int DiscoveryIntervals = 3;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _lastHeard = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _startedAt = clock.GetUtcNow();

    /// <summary>
    /// True when another dispatcher may be counting this one's attempts: one was heard within the peer timeout,
    /// or this one started less than <see cref="DiscoveryIntervals"/> heartbeat intervals ago.
    /// </summary>
    public bool Any
    {
        get
        {
            var now = clock.GetUtcNow();
            var settings = options.Value;
            if (now - _startedAt < DiscoveryIntervals * settings.PeerHeartbeatInterval)
            {
                return true;
            }

            lock (_gate)
            {
                return _lastHeard.Values.Any(heard => now - heard < settings.PeerTimeout);
            }
        }
    }

    /// <summary>
    /// Records a heartbeat of <paramref name="dispatcherId"/> (this dispatcher's own are ignored). Returns true
    /// when that peer is new: never heard, or silent for longer than the peer timeout.
    /// </summary>
    public bool Hear(string dispatcherId)
    {
        ArgumentException.ThrowIfNullOrEmpty(dispatcherId);
        if (string.Equals(dispatcherId, options.Value.DispatcherId, StringComparison.Ordinal))
        {
            return false;
        }

        var now = clock.GetUtcNow();
        lock (_gate)
        {
            var isNew = !_lastHeard.TryGetValue(dispatcherId, out var last) || now - last >= options.Value.PeerTimeout;
            _lastHeard[dispatcherId] = now;
            return isNew;
        }
    }
}
