namespace WorkFleet.Messaging.Recovery;

/// <summary>
/// Remembers, per receive endpoint (by input address), since when it has been down and when it was last
/// restarted. Pure bookkeeping: the caller tells it what it saw.
/// </summary>
public sealed class EndpointDowntime
{
    private readonly Dictionary<string, DateTimeOffset> _downSince = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastRestart = new(StringComparer.Ordinal);

    /// <summary>True when any endpoint is down.</summary>
    public bool AnyDown => _downSince.Count > 0;

    /// <summary>Since when <paramref name="endpoint"/> has been down, as last seen; null when it was last seen up.</summary>
    public DateTimeOffset? DownSince(string endpoint) => _downSince.TryGetValue(endpoint, out var since) ? since : null;

    /// <summary>Records what was seen of <paramref name="endpoint"/> at <paramref name="now"/>; returns since when it has been down, or null when it is up.</summary>
    public DateTimeOffset? Observe(string endpoint, bool ready, DateTimeOffset now)
    {
        if (ready)
        {
            _downSince.Remove(endpoint);
            _lastRestart.Remove(endpoint);
            return null;
        }

        if (!_downSince.TryGetValue(endpoint, out var since))
        {
            since = now;
            _downSince[endpoint] = since;
        }

        return since;
    }

    /// <summary>When <paramref name="endpoint"/> was last restarted while down, or null.</summary>
    public DateTimeOffset? LastRestart(string endpoint) => _lastRestart.TryGetValue(endpoint, out var at) ? at : null;

    /// <summary>Records that <paramref name="endpoint"/> was restarted at <paramref name="now"/>.</summary>
    public void Restarted(string endpoint, DateTimeOffset now) => _lastRestart[endpoint] = now;
}
