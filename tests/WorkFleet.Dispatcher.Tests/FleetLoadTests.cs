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

    [Fact]
    public void Of_HostFigures_ResourceLoadIsMaxOfCpuAndMemory_AveragedOverServingWorkersThatReportIt()
    {
        // Arrange: resource loads 0.8 (memory), 0.4 (cpu), unknown, and a draining worker that does not count.
        WorkerView[] workers =
        [
            new(Host("a", cpu: 0.3, memory: 0.8), 0, IsAlive: true),
            new(Host("b", cpu: 0.4, memory: null), 0, IsAlive: true),
            new(Host("c", cpu: null, memory: null), 0, IsAlive: true),
            new(Host("d", cpu: 1.0, memory: 1.0) with { IsDraining = true }, 0, IsAlive: true),
        ];

        // Act
        var load = FleetLoad.Of(workers, (0, null), _clock.GetUtcNow());

        // Assert
        Assert.Equal(0.8, workers[0].Snapshot.ResourceLoad);
        Assert.Null(workers[2].Snapshot.ResourceLoad);
        Assert.Equal(0.6, load.ResourceLoadMean!.Value, 10);
        Assert.Equal(0.8, load.ResourceLoadMax);
    }

    [Fact]
    public void Of_NoWorkerReportsHostFigures_ResourceLoadIsAbsentNotZero()
    {
        WorkerView[] workers = [new(Host("a", cpu: null, memory: null), 0, IsAlive: true)];

        var load = FleetLoad.Of(workers, (0, null), _clock.GetUtcNow());

        Assert.Null(load.ResourceLoadMean);
        Assert.Null(load.ResourceLoadMax);
    }

    private static WorkFleet.Balancing.WorkerSnapshot Host(string id, double? cpu, double? memory) => new()
    {
        WorkerId = id,
        Weight = 1,
        Capacity = 1,
        HostCpuUtilization = cpu,
        HostMemoryUtilization = memory,
    };
}
