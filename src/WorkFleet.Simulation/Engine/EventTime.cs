namespace WorkFleet.Simulation.Engine;

/// <summary>
/// Event order: by time, then by the order events were scheduled, so simultaneous events always run in the
/// same order and a run is reproducible.
/// </summary>
/// <param name="TimeMs">Simulated time in milliseconds.</param>
/// <param name="Sequence">Scheduling order.</param>
internal readonly record struct EventTime(double TimeMs, long Sequence) : IComparable<EventTime>
{
    public int CompareTo(EventTime other)
    {
        var byTime = TimeMs.CompareTo(other.TimeMs);
        return byTime != 0 ? byTime : Sequence.CompareTo(other.Sequence);
    }

    public static bool operator <(EventTime left, EventTime right) => left.CompareTo(right) < 0;

    public static bool operator >(EventTime left, EventTime right) => left.CompareTo(right) > 0;

    public static bool operator <=(EventTime left, EventTime right) => left.CompareTo(right) <= 0;

    public static bool operator >=(EventTime left, EventTime right) => left.CompareTo(right) >= 0;
}
