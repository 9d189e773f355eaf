using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WorkFleet.Balancing;
using WorkFleet.Balancing.CostAware;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Tests.Support;

namespace WorkFleet.Dispatcher.Tests;

/// <summary>The allocator with <c>Strategy = cost-aware</c>: shortest expected cost first with aging, placement by expected finish.</summary>
public sealed class CostAwareSlotAllocatorTests
{
    private readonly FakeTimeProvider _clock = new(Fleet.Start);
    private readonly JobCostEstimates _costs = new();

    [Fact]
    public async Task Release_ShortTaskWaitingBehindALongerOne_ShortStartsFirst()
    {
        // Arrange: one slot, held; a long task waits, then a short one.
        var slots = CreateAllocator();
        slots.Apply(Worker("w1", weight: 1));
        await slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), 0, CancellationToken.None);
        var longTask = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 0, expectedCostMs: 2_000, CancellationToken.None);
        var shortTask = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(3), 0, expectedCostMs: 10, CancellationToken.None);

        // Act: both due by now (the long one only after 2 s), the slot frees.
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        slots.Release("w1", Fleet.Key(1));

        // Assert
        Assert.Equal(new Selection(SelectionOutcome.Selected, "w1"), await shortTask.WaitAsync(Fleet.Due));
        Assert.False(longTask.IsCompleted);
    }

    [Fact]
    public async Task Release_LongTaskPastItsAgingBound_StartsBeforeShortTasksThatArrivedLater()
    {
        // Arrange: one slot, held; a long task (due 1 s after it arrived, A = 1) waits.
        var slots = CreateAllocator();
        slots.Apply(Worker("w1", weight: 1));
        await slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), 0, CancellationToken.None);
        var longTask = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 0, expectedCostMs: 1_000, CancellationToken.None);

        // Act: past its due time, a stream of short tasks arrives, then the slot frees.
        _clock.Advance(TimeSpan.FromMilliseconds(1_001));
        var shortTasks = Enumerable.Range(3, 5)
            .Select(n => slots.AcquireAsync(Fleet.Needs(), Fleet.Key(n), 0, expectedCostMs: 1, CancellationToken.None))
            .ToList();
        slots.Release("w1", Fleet.Key(1));

        // Assert
        Assert.Equal(new Selection(SelectionOutcome.Selected, "w1"), await longTask.WaitAsync(Fleet.Due));
        Assert.All(shortTasks, t => Assert.False(t.IsCompleted));
    }

    [Fact]
    public async Task AcquireAsync_LargeTask_HeldForABusyFastWorkerThatFreesSoon_NotStartedOnTheFreeSlowOne()
    {
        // Arrange: a fast worker (weight 4) busy with a 100 ms task, a slow one (weight 1) free.
        var slots = CreateAllocator();
        slots.Apply(Worker("fast", weight: 4));
        slots.Apply(Worker("slow", weight: 1));
        var first = await slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), 0, expectedCostMs: 400, CancellationToken.None);

        // Act: a large task (1 s at weight 1: 1 s on the slow worker, 0.25 s on the fast one after ~0.1 s).
        var large = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 0, expectedCostMs: 1_000, CancellationToken.None);
        var heldAtFirst = !large.IsCompleted;
        slots.Release(first.WorkerId!, Fleet.Key(1));

        // Assert
        Assert.Equal("fast", first.WorkerId);
        Assert.True(heldAtFirst);
        Assert.Equal(new Selection(SelectionOutcome.Selected, "fast"), await large.WaitAsync(Fleet.Due));
    }

    [Fact]
    public async Task AcquireAsync_TailTaskNotYetDue_StartsOnlyWhereItLeavesASlotFree()
    {
        // Arrange: a worker of capacity 2 has run 200 tasks of 10 ms (the p99 of expected costs), and runs one now.
        var slots = CreateAllocator();
        slots.Apply(Worker("w1", weight: 1, capacity: 2));
        for (var n = 0; n < 200; n++)
        {
            await slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1_000 + n), 0, expectedCostMs: 10, CancellationToken.None);
            slots.Release("w1", Fleet.Key(1_000 + n));
        }

        await slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), 0, expectedCostMs: 10, CancellationToken.None);

        // Act: a tail task (4 s, far above 1.2 x the p99, due only later) and then a short task arrive.
        var tail = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 0, expectedCostMs: 4_000, CancellationToken.None);
        var tailHeldBack = !tail.IsCompleted;
        var shortTask = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(3), 0, expectedCostMs: 10, CancellationToken.None);

        // Assert: the short task takes the last free slot; the tail task starts once the worker is idle.
        Assert.True(tailHeldBack);
        Assert.Equal(new Selection(SelectionOutcome.Selected, "w1"), await shortTask.WaitAsync(Fleet.Due));
        slots.Release("w1", Fleet.Key(1));
        Assert.False(tail.IsCompleted);
        slots.Release("w1", Fleet.Key(3));
        Assert.Equal(new Selection(SelectionOutcome.Selected, "w1"), await tail.WaitAsync(Fleet.Due));
    }

    [Fact]
    public async Task Release_TwoTasksNotYetDue_TheOneWithLessSlackStartsFirst_NotTheLarger()
    {
        // Arrange: one slot, held; a 100 ms task waits, and 60 ms later a 150 ms one. Slack (arrival - cost): -100
        // against 60 - 150 = -90, so the earlier, smaller task must start first; largest-first would pick the other.
        var slots = CreateAllocator();
        slots.Apply(Worker("w1", weight: 1));
        await slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), 0, CancellationToken.None);
        var earlier = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 0, expectedCostMs: 100, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMilliseconds(60));
        var larger = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(3), 0, expectedCostMs: 150, CancellationToken.None);

        // Act: the slot frees before either is due (at 100 and 210 ms).
        slots.Release("w1", Fleet.Key(1));

        // Assert
        Assert.Equal(new Selection(SelectionOutcome.Selected, "w1"), await earlier.WaitAsync(Fleet.Due));
        Assert.False(larger.IsCompleted);
    }

    [Fact]
    public async Task Tick_HeldTaskReachesItsDueTime_TakesTheFreeSlowSlot()
    {
        // Arrange: as above, but the fast worker never frees its slot.
        var slots = CreateAllocator();
        slots.Apply(Worker("fast", weight: 4));
        slots.Apply(Worker("slow", weight: 1));
        await slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), 0, expectedCostMs: 400, CancellationToken.None);
        var large = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 0, expectedCostMs: 1_000, CancellationToken.None);

        // Act: its due time (1 s) passes.
        _clock.Advance(TimeSpan.FromMilliseconds(1_000));
        slots.Apply(Worker("fast", weight: 4, sequence: 2));
        slots.Apply(Worker("slow", weight: 1, sequence: 2));
        slots.Tick();

        // Assert
        Assert.Equal(new Selection(SelectionOutcome.Selected, "slow"), await large.WaitAsync(Fleet.Due));
    }

    [Fact]
    public async Task ObserveRun_ThreeSucceededAttempts_GiveTheJobTypeAnEstimateOfDurationTimesWeight()
    {
        // Arrange
        var slots = CreateAllocator();
        slots.Apply(Worker("w1", weight: 2, capacity: 3));
        var keys = new[] { Fleet.Key(1), Fleet.Key(2), Fleet.Key(3) };
        foreach (var key in keys)
        {
            await slots.AcquireAsync(Fleet.Needs(), key, 0, CancellationToken.None);
        }

        // Act
        foreach (var key in keys)
        {
            slots.ObserveRun("w1", key, TimeSpan.FromMilliseconds(50));
        }

        // Assert: 50 ms on a worker of weight 2 is 100 ms at weight 1.
        Assert.Equal(100, _costs.ExpectedCostMs(Fleet.JobType)!.Value, precision: 6);
        Assert.Equal(3, Assert.Single(_costs.Snapshot()).Observations);
    }

    [Fact]
    public async Task AcquireAsync_NoHint_UsesTheLearnedEstimateOfTheJobType()
    {
        // Arrange: the job type is known to take 2 s; one slot, held.
        for (var i = 0; i < 3; i++)
        {
            _costs.Observe(Fleet.JobType, TimeSpan.FromSeconds(2), 1);
        }

        var slots = CreateAllocator();
        slots.Apply(Worker("w1", weight: 1));
        await slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), 0, CancellationToken.None);
        var unhinted = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 0, CancellationToken.None);
        var shortTask = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(3), 0, expectedCostMs: 10, CancellationToken.None);

        // Act
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        slots.Release("w1", Fleet.Key(1));

        // Assert: the unhinted task counts as 2 s long, so the short one passes it.
        Assert.Equal(new Selection(SelectionOutcome.Selected, "w1"), await shortTask.WaitAsync(Fleet.Due));
        Assert.False(unhinted.IsCompleted);
    }

    [Fact]
    public async Task ObserveRun_RunTimesFollowingPayloadSize_TeachTheJobTypesSizeLine()
    {
        // Arrange: twelve tasks of payloads 100..1,200 characters, each granted here.
        var slots = CreateAllocator();
        slots.Apply(Worker("w1", weight: 2, capacity: 12));
        var keys = Enumerable.Range(1, 12).Select(Fleet.Key).ToList();
        for (var i = 0; i < keys.Count; i++)
        {
            await slots.AcquireAsync(Fleet.Needs(), keys[i], 0, expectedCostMs: null, payloadSize: 100 * (i + 1), CancellationToken.None);
        }

        // Act: each ran 1 ms per 4 characters on the worker of weight 2, i.e. 0.5 ms per character at weight 1.
        for (var i = 0; i < keys.Count; i++)
        {
            slots.ObserveRun("w1", keys[i], TimeSpan.FromMilliseconds(25 * (i + 1)));
        }

        // Assert
        Assert.Equal(0.5, Assert.Single(_costs.Snapshot()).MsPerPayloadChar!.Value, precision: 6);
        Assert.Equal(1_000, _costs.ExpectedCostMs(Fleet.JobType, payloadSize: 2_000)!.Value, precision: 6);
    }

    [Fact]
    public async Task AcquireAsync_NoHint_TheTasksOwnPayloadSizeSetsItsLearnedCost()
    {
        // Arrange: the job type costs 1 ms per payload character; one slot, held.
        for (var size = 100; size <= 1_200; size += 100)
        {
            _costs.Observe(Fleet.JobType, TimeSpan.FromMilliseconds(size), 1, size);
        }

        var slots = CreateAllocator();
        slots.Apply(Worker("w1", weight: 1));
        await slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), 0, CancellationToken.None);
        var large = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 0, expectedCostMs: null, payloadSize: 5_000, CancellationToken.None);
        var small = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(3), 0, expectedCostMs: null, payloadSize: 50, CancellationToken.None);

        // Act
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        slots.Release("w1", Fleet.Key(1));

        // Assert: the small payload (about 50 ms) passes the large one (about 5 s) that arrived before it.
        Assert.Equal(new Selection(SelectionOutcome.Selected, "w1"), await small.WaitAsync(Fleet.Due));
        Assert.False(large.IsCompleted);
    }

    private SlotAllocator CreateAllocator() => new(
        Options.Create(new DispatcherOptions
        {
            DispatcherId = "test-dispatcher",
            LivenessTimeout = Fleet.Liveness,
            UnsupportedJobGracePeriod = Fleet.Grace,
            Strategy = CostAwarePlacement.StrategyName,
        }),
        _clock,
        _costs);

    private WorkerSnapshot Worker(string workerId, double weight, int capacity = 1, long sequence = 1) =>
        Fleet.Worker(_clock, workerId, capacity, sequence: sequence) with { Weight = weight };
}
