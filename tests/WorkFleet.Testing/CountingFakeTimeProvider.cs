using Microsoft.Extensions.Time.Testing;

namespace WorkFleet.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also tells how many of its timers are pending, which
/// <see cref="FakeTimeProvider"/> does not expose: tests check with it that code armed, or disarmed, a timer.
/// </summary>
public sealed class CountingFakeTimeProvider : FakeTimeProvider
{
    private readonly Lock _gate = new();
    private readonly HashSet<CountedTimer> _pending = [];

    /// <summary>Starts the clock at <see cref="FakeTimeProvider"/>'s default, midnight 1 January 2000 UTC.</summary>
    public CountingFakeTimeProvider()
    {
    }

    /// <summary>Starts the clock at <paramref name="start"/>.</summary>
    /// <param name="start">The first time the clock reports.</param>
    public CountingFakeTimeProvider(DateTimeOffset start)
        : base(start)
    {
    }

    /// <summary>Timers with a due time that have neither fired (one-shot timers) nor been disposed.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new CountedTimer(this, callback, state);

        // Counted before the base arms it: a timer due at once fires inside base.CreateTimer.
        timer.Track(dueTime, period);
        timer.Inner = base.CreateTimer(static counted => ((CountedTimer)counted!).Fire(), timer, dueTime, period);
        return timer;
    }

    private void SetPending(CountedTimer timer, bool pending)
    {
        lock (_gate)
        {
            _ = pending ? _pending.Add(timer) : _pending.Remove(timer);
        }
    }

    private sealed class CountedTimer(CountingFakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public ITimer Inner { get; set; } = null!;

        public void Track(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            owner.SetPending(this, dueTime != Timeout.InfiniteTimeSpan);
        }

        public void Fire()
        {
            if (_period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero)
            {
                owner.SetPending(this, pending: false);
            }

            callback(state);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Track(dueTime, period);
            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            owner.SetPending(this, pending: false);
            Inner.Dispose();
        }

        public async ValueTask DisposeAsync()
        {
            owner.SetPending(this, pending: false);
            await Inner.DisposeAsync();
        }
    }
}
