namespace WorkFleet.Dispatcher.Observability;

/// <summary>
/// A thread-safe histogram of durations with fixed upper bounds (seconds), cumulative as Prometheus exposes
/// them: lock-free increments, so recording on the dispatch path costs a few nanoseconds.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Upper bounds from 1 ms to 60 s, roughly ×2.5 apart: dispatch waits and job run times.</summary>
    public static readonly IReadOnlyList<double> DefaultBoundsSeconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly double[] _bounds;
    private readonly long[] _counts;
    private long _sumMicroseconds;

    /// <summary>Creates an empty histogram with <see cref="DefaultBoundsSeconds"/>.</summary>
    public LatencyHistogram()
    {
        _bounds = [.. DefaultBoundsSeconds];
        _counts = new long[_bounds.Length + 1];
    }

    /// <summary>Upper bounds of the buckets in seconds, ascending; a last bucket (+Inf) follows them.</summary>
    public IReadOnlyList<double> BoundsSeconds => _bounds;

    /// <summary>Counts one duration (negative ones count as zero).</summary>
    public void Record(TimeSpan duration)
    {
        var seconds = Math.Max(0, duration.TotalSeconds);
        var bucket = Array.BinarySearch(_bounds, seconds);
        Interlocked.Increment(ref _counts[bucket >= 0 ? bucket : ~bucket]);
        Interlocked.Add(ref _sumMicroseconds, (long)(seconds * 1e6));
    }

    /// <summary>A consistent-enough copy for exposition: per bucket (not cumulative), then the sum in seconds.</summary>
    public (long[] Counts, double SumSeconds) Read()
    {
        var counts = new long[_counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Read(ref _counts[i]);
        }

        return (counts, Interlocked.Read(ref _sumMicroseconds) / 1e6);
    }
}
