namespace WorkFleet.Dispatcher.Autoscaling;

/// <summary>
/// Learns the forecast horizon: how long a scale-up takes, from the command to the new worker's first heartbeat.
/// Each worker that appears while a scale-up is outstanding is one measurement; the horizon is the mean of the
/// last few, or the configured default before the first.
/// </summary>
public sealed class StartupTimeLearner(TimeSpan initial, int remembered = 5)
{
    private readonly Queue<DateTimeOffset> _outstanding = new();
    private readonly Queue<TimeSpan> _measured = new();
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    /// <summary>The horizon to forecast at.</summary>
    public TimeSpan Horizon => _measured.Count == 0 ? initial : TimeSpan.FromTicks((long)_measured.Average(m => m.Ticks));

    /// <summary>Whether <see cref="Horizon"/> comes from measurements.</summary>
    public bool IsLearned => _measured.Count > 0;

    /// <summary>Records that <paramref name="count"/> workers were asked for at <paramref name="at"/>.</summary>
    public void ScaledUp(DateTimeOffset at, int count)
    {
        for (var i = 0; i < count; i++)
        {
            _outstanding.Enqueue(at);
        }
    }

    /// <summary>Notes the workers heard from at <paramref name="now"/>; the new ones settle outstanding scale-ups.</summary>
    public void Observe(IEnumerable<string> workerIds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(workerIds);
        foreach (var id in workerIds)
        {
            if (_known.Add(id) && _outstanding.TryDequeue(out var askedAt))
            {
                _measured.Enqueue(now - askedAt);
                if (_measured.Count > remembered)
                {
                    _measured.Dequeue();
                }
            }
        }
    }

    /// <summary>Forgets scale-ups that never produced a worker (the platform failed or a worker died at start).</summary>
    public void ForgetOlderThan(DateTimeOffset cutoff)
    {
        while (_outstanding.TryPeek(out var askedAt) && askedAt < cutoff)
        {
            _outstanding.Dequeue();
        }
    }
}
