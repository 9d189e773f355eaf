using Microsoft.Extensions.Time.Testing;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Tests.Support;

namespace WorkFleet.Dispatcher.Tests;

public sealed class FleetLoadTests
{
    private readonly FakeTimeProvider _clock = new(Fleet.Start);

    [Fact]
    public async Task Of_TwoWaitersBehindAFullWorker_CountsRunningAndWaitingAndTheOldestWait()
    {
        // Arrange: one worker with 2 slots, both taken; a task waits from t, a second from t + 3 s (higher priority,
        // so it stands first in line, yet the first one has waited longer).
        var slots = Fleet.CreateAllocator(_clock);
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 2));
        await slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), 0, CancellationToken.None);
        await slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 0, CancellationToken.None);
        var first = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(3), 0, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(3));
        var second = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(4), 9, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(2));

        // Act
        var load = FleetLoad.Of(slots.Snapshot(), slots.WaitingLine(), _clock.GetUtcNow());

        // Assert: (2 running + 2 waiting) / 2 slots = 2; the first waiter has waited 5 s.
        Assert.Equal(new FleetLoad(2, 2, 2, TimeSpan.FromSeconds(5)), load);
        Assert.Equal(2.0, load.Utilization);
        Assert.False(first.IsCompleted || second.IsCompleted);
    }

    [Fact]
    public void Of_NoWorkerTakesTasks_HasNoUtilizationAndNoWait()
    {
        var slots = Fleet.CreateAllocator(_clock);

        var load = FleetLoad.Of(slots.Snapshot(), slots.WaitingLine(), _clock.GetUtcNow());

        Assert.Equal(new FleetLoad(0, 0, 0, null), load);
        Assert.Null(load.Utilization);
    }
}
