namespace WorkFleet.Cli.Demo;

/// <summary>Interval arithmetic over recorded attempts.</summary>
public static class Concurrency
{
    /// <summary>The largest number of intervals open at one instant (an end at t closes before a start at t).</summary>
    public static int MaxOverlap(IEnumerable<(DateTime Start, DateTime End)> intervals)
    {
        var events = intervals
            .SelectMany(i => new[] { (At: i.Start, Delta: 1), (At: i.End, Delta: -1) })
            .OrderBy(e => e.At)
            .ThenBy(e => e.Delta);
        int open = 0, max = 0;
        foreach (var (_, delta) in events)
        {
            open += delta;
            max = Math.Max(max, open);
        }

        return max;
    }
}
