namespace WorkFleet.Autoscaling.Policy;

/// <summary>
/// The memory a scaling policy needs between decisions: recent recommendations (for stabilization windows)
/// and recent scale events (for rate limits). The caller owns it, one per fleet, and is its only writer.
/// </summary>
/// <remarks>Not thread-safe: one autoscaler loop uses it.</remarks>
public sealed class ScalingHistory
{
    private readonly List<Recommendation> _recommendations = [];
    private readonly List<ScaleEvent> _scaleEvents = [];

    /// <summary>Recommendations still kept, oldest first.</summary>
    public IReadOnlyList<Recommendation> Recommendations => _recommendations;

    /// <summary>Scale events still kept, oldest first.</summary>
    public IReadOnlyList<ScaleEvent> ScaleEvents => _scaleEvents;

    /// <summary>Keeps a policy's recommendation; policies call this themselves.</summary>
    public void RecordRecommendation(DateTimeOffset at, int workers) => _recommendations.Add(new Recommendation(at, workers));

    /// <summary>Keeps a change of fleet size the caller carried out, so rate limits count it.</summary>
    public void RecordScaleEvent(DateTimeOffset at, int fromWorkers, int toWorkers)
    {
        if (fromWorkers != toWorkers)
        {
            _scaleEvents.Add(new ScaleEvent(at, fromWorkers, toWorkers));
        }
    }

    /// <summary>Forgets everything at or before <paramref name="cutoff"/>, which no window can reach any more.</summary>
    public void ForgetUpTo(DateTimeOffset cutoff)
    {
        _recommendations.RemoveAll(r => r.At <= cutoff);
        _scaleEvents.RemoveAll(e => e.At <= cutoff);
    }

    /// <summary>Workers added and removed by the events after <paramref name="since"/>.</summary>
    internal (int Added, int Removed) ChangesAfter(DateTimeOffset since)
    {
        int added = 0, removed = 0;
        foreach (var scaleEvent in _scaleEvents)
        {
            if (scaleEvent.At > since)
            {
                if (scaleEvent.Change > 0)
                {
                    added += scaleEvent.Change;
                }
                else
                {
                    removed -= scaleEvent.Change;
                }
            }
        }

        return (added, removed);
    }
}
