namespace WorkFleet.Testing;

/// <summary>Interval arithmetic over attempts recorded in PostgreSQL, written plainly for the assertions.</summary>
public static class RecordedAttempts
{
    /// <summary>The largest number of intervals open at one instant; an end at t closes before a start at t.</summary>
    public static int MaxConcurrent(IEnumerable<(DateTime Start, DateTime End)> intervals)
    {
        var events = new List<(DateTime At, int Delta)>();
        foreach (var (start, end) in intervals)
        {
            events.Add((start, +1));
            events.Add((end, -1));
        }

        events.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Delta.CompareTo(b.Delta));
        int open = 0, max = 0;
        foreach (var (_, delta) in events)
        {
            open += delta;
            max = Math.Max(max, open);
        }

        return max;
    }
}
