namespace WorkFleet.Dispatcher.Observability;

/// <summary>
/// Events per second over a sliding window of one-second buckets (default 10 s), on the time of a
/// <see cref="TimeProvider"/>: a mark costs a short lock and no allocation, a read sums the buckets still inside
/// the window. Until the meter is as old as its window, the rate is over its age (at least one second), so a fresh
/// dispatcher does not report a tenth of its real rate.
/// </summary>
public sealed class RateMeter
{
    /// <summary>The window used when none is given.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly TimeProvider _clock;
    private readonly long _startSecond;
    private readonly long[] _seconds;
    private readonly long[] _counts;

    /// <summary>A meter over <paramref name="window"/> (whole seconds, at least 1; default 10 s).</summary>
    public RateMeter(TimeProvider clock, TimeSpan? window = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var seconds = (int)Math.Round((window ?? DefaultWindow).TotalSeconds);
        ArgumentOutOfRangeException.ThrowIfLessThan(seconds, 1, nameof(window));
        _clock = clock;
        _seconds = new long[seconds];
        _counts = new long[seconds];
        _startSecond = Now();
        Array.Fill(_seconds, long.MinValue);
    }

    /// <summary>The window's length.</summary>
    public TimeSpan Window => TimeSpan.FromSeconds(_seconds.Length);

    /// <summary>Counts <paramref name="count"/> events now.</summary>
    public void Mark(long count = 1)
    {
        var second = Now();
        var slot = (int)(second % _seconds.Length);
        lock (_gate)
        {
            if (_seconds[slot] != second)
            {
                _seconds[slot] = second;
                _counts[slot] = 0;
            }

            _counts[slot] += count;
        }
    }

    /// <summary>Events per second over the window (the current, partial second included).</summary>
    public double PerSecond
    {
        get
        {
            var now = Now();
            long sum = 0;
            lock (_gate)
            {
                for (var i = 0; i < _seconds.Length; i++)
                {
                    if (_seconds[i] > now - _seconds.Length && _seconds[i] <= now)
                    {
                        sum += _counts[i];
                    }
                }
            }

            var span = Math.Clamp(now - _startSecond + 1, 1, _seconds.Length);
            return (double)sum / span;
        }
    }

    private long Now() => _clock.GetTimestamp() / _clock.TimestampFrequency;
}
