using Microsoft.Extensions.Time.Testing;
using WorkFleet.Balancing;
using WorkFleet.Dispatcher.Tests.Support;

namespace WorkFleet.Dispatcher.Tests;

public sealed class SlotAllocatorTests
{
    private readonly FakeTimeProvider _clock = new(Fleet.Start);

    [Fact]
    public async Task AcquireAsync_FreeSlot_CompletesImmediatelyWithThatWorker()
    {
        // Arrange
        var slots = Fleet.CreateAllocator(_clock);
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 2));

        // Act
        var acquire = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), priority: 0, CancellationToken.None);

        // Assert
        Assert.True(acquire.IsCompletedSuccessfully);
        Assert.Equal(new Selection(SelectionOutcome.Selected, "w1"), await acquire);
        Assert.Equal(0, slots.WaitingCount);
        Assert.Equal(1, Fleet.LoadOf(slots, "w1"));
    }

    [Fact]
    public async Task Withdraw_WaitingTask_LeavesTheLineCancelled_AndTheFreedSlotGoesToTheNext()
    {
        // Arrange: one slot held, two tasks waiting.
        var slots = Fleet.CreateAllocator(_clock);
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 1));
        await slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), 0, CancellationToken.None);
        var first = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 0, CancellationToken.None);
        var second = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(3), 0, CancellationToken.None);

        // Act
        var withdrawn = slots.Withdraw(Fleet.Key(2));
        var again = slots.Withdraw(Fleet.Key(2));
        slots.Release("w1", Fleet.Key(1));

        // Assert
        Assert.True(withdrawn);
        Assert.False(again);
        Assert.True(first.IsCanceled);
        Assert.Equal(new Selection(SelectionOutcome.Selected, "w1"), await second);
        Assert.False(slots.Withdraw(Fleet.Key(3)));
    }

    [Fact]
    public async Task AcquireAsync_OnlyWorkerFull_WaitsUntilReleaseThenBindsToThatWorker()
    {
        // Arrange
        var slots = Fleet.CreateAllocator(_clock);
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 1));
        var held = await slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), 0, CancellationToken.None);

        // Act
        var waiting = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 0, CancellationToken.None);
        slots.Tick();
        var completedBeforeRelease = waiting.IsCompleted;
        var waitingBeforeRelease = slots.WaitingCount;
        var released = slots.Release("w1", Fleet.Key(1));
        var granted = await waiting.WaitAsync(Fleet.Due);

        // Assert
        Assert.Equal(new Selection(SelectionOutcome.Selected, "w1"), held);
        Assert.False(completedBeforeRelease);
        Assert.Equal(1, waitingBeforeRelease);
        Assert.True(released);
        Assert.Equal(new Selection(SelectionOutcome.Selected, "w1"), granted);
        Assert.Equal(0, slots.WaitingCount);
        Assert.Equal(1, Fleet.LoadOf(slots, "w1"));
        Assert.True(slots.Release("w1", Fleet.Key(2)));
    }

    [Fact]
    public async Task AcquireAsync_WaitersWithPrioritiesOneFiveThree_AreGrantedFiveThenThreeThenOne()
    {
        // Arrange
        var slots = Fleet.CreateAllocator(_clock);
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 1));
        await slots.AcquireAsync(Fleet.Needs(), Fleet.Key(0), 0, CancellationToken.None);
        var p1 = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), 1, CancellationToken.None);
        var p5 = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(5), 5, CancellationToken.None);
        var p3 = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(3), 3, CancellationToken.None);

        // Act + Assert: each release hands the one slot to the highest priority still waiting.
        slots.Release("w1", Fleet.Key(0));
        Assert.Equal("w1", (await p5.WaitAsync(Fleet.Due)).WorkerId);
        Assert.False(p3.IsCompleted);
        Assert.False(p1.IsCompleted);

        slots.Release("w1", Fleet.Key(5));
        Assert.Equal("w1", (await p3.WaitAsync(Fleet.Due)).WorkerId);
        Assert.False(p1.IsCompleted);

        slots.Release("w1", Fleet.Key(3));
        Assert.Equal("w1", (await p1.WaitAsync(Fleet.Due)).WorkerId);
        Assert.Equal(0, slots.WaitingCount);
    }

    [Fact]
    public async Task AcquireAsync_EqualPriorities_AreServedInArrivalOrder()
    {
        // Arrange
        var slots = Fleet.CreateAllocator(_clock);
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 1));
        await slots.AcquireAsync(Fleet.Needs(), Fleet.Key(0), 4, CancellationToken.None);
        var first = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), 4, CancellationToken.None);
        var second = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 4, CancellationToken.None);
        var third = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(3), 4, CancellationToken.None);

        // Act + Assert
        slots.Release("w1", Fleet.Key(0));
        await first.WaitAsync(Fleet.Due);
        Assert.False(second.IsCompleted);
        Assert.False(third.IsCompleted);

        slots.Release("w1", Fleet.Key(1));
        await second.WaitAsync(Fleet.Due);
        Assert.False(third.IsCompleted);

        slots.Release("w1", Fleet.Key(2));
        Assert.Equal(new Selection(SelectionOutcome.Selected, "w1"), await third.WaitAsync(Fleet.Due));
    }

    [Fact]
    public async Task AcquireAsync_WaiterForBusyJobType_DoesNotBlockLaterWaiterForFreeWorker()
    {
        // Arrange: "gpu-box" (only runner of "render") is full; "cpu-box" (runs "tokenize") is free.
        var slots = Fleet.CreateAllocator(_clock);
        slots.Apply(Fleet.Worker(_clock, "gpu-box", capacity: 1, jobTypes: ["render"]));
        slots.Apply(Fleet.Worker(_clock, "cpu-box", capacity: 1, jobTypes: ["tokenize"]));
        await slots.AcquireAsync(Fleet.Needs("render"), Fleet.Key(0), 0, CancellationToken.None);
        var blocked = slots.AcquireAsync(Fleet.Needs("render"), Fleet.Key(1), 9, CancellationToken.None);

        // Act
        var later = slots.AcquireAsync(Fleet.Needs("tokenize"), Fleet.Key(2), 0, CancellationToken.None);

        // Assert
        Assert.True(later.IsCompletedSuccessfully);
        Assert.Equal(new Selection(SelectionOutcome.Selected, "cpu-box"), await later);
        Assert.False(blocked.IsCompleted);
        Assert.Equal(1, slots.WaitingCount);
    }

    [Fact]
    public async Task Release_SlotOfAKindWaitingBehindAnotherKind_GoesToTheFirstWaiterOfThatKind()
    {
        // Arrange: both workers full; three "render" waiters, then two "tokenize" waiters (one withdrawn again).
        var slots = Fleet.CreateAllocator(_clock);
        slots.Apply(Fleet.Worker(_clock, "gpu-box", capacity: 1, jobTypes: ["render"]));
        slots.Apply(Fleet.Worker(_clock, "cpu-box", capacity: 1, jobTypes: ["tokenize"]));
        await slots.AcquireAsync(Fleet.Needs("render"), Fleet.Key(0), 0, CancellationToken.None);
        await slots.AcquireAsync(Fleet.Needs("tokenize"), Fleet.Key(1), 0, CancellationToken.None);
        var renders = Enumerable.Range(2, 3).Select(i => slots.AcquireAsync(Fleet.Needs("render"), Fleet.Key(i), 0, CancellationToken.None)).ToList();
        var withdrawn = slots.AcquireAsync(Fleet.Needs("tokenize"), Fleet.Key(5), 0, CancellationToken.None);
        var tokenize = slots.AcquireAsync(Fleet.Needs("tokenize"), Fleet.Key(6), 0, CancellationToken.None);
        Assert.True(slots.Withdraw(Fleet.Key(5)));

        // Act
        slots.Release("cpu-box", Fleet.Key(1));

        // Assert: the tokenize slot went past the blocked render waiters to the tokenize waiter still in line.
        Assert.Equal(new Selection(SelectionOutcome.Selected, "cpu-box"), await tokenize.WaitAsync(Fleet.Due));
        Assert.True(withdrawn.IsCanceled);
        Assert.All(renders, r => Assert.False(r.IsCompleted));
        Assert.Equal(3, slots.WaitingCount);

        // And a render slot still reaches the first render waiter.
        slots.Release("gpu-box", Fleet.Key(0));
        Assert.Equal(new Selection(SelectionOutcome.Selected, "gpu-box"), await renders[0].WaitAsync(Fleet.Due));
    }

    [Fact]
    public async Task AcquireAsync_NoCapableWorker_WaitsDuringGraceThenCompletesWithNoCapableWorkerOnTick()
    {
        // Arrange: a live worker exists but runs something else.
        var slots = Fleet.CreateAllocator(_clock, liveness: TimeSpan.FromHours(1));
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 4, jobTypes: ["other.job"]));

        // Act
        var acquire = slots.AcquireAsync(Fleet.Needs("preprocess.tokenize"), Fleet.Key(1), 0, CancellationToken.None);
        var completedAtStart = acquire.IsCompleted;
        _clock.Advance(Fleet.Grace - TimeSpan.FromMilliseconds(1));
        slots.Tick();
        var completedJustBeforeGrace = acquire.IsCompleted;
        _clock.Advance(TimeSpan.FromMilliseconds(2));
        var completedBeforeTick = acquire.IsCompleted;
        slots.Tick();
        var result = await acquire.WaitAsync(Fleet.Due);

        // Assert
        Assert.False(completedAtStart);
        Assert.False(completedJustBeforeGrace);
        Assert.False(completedBeforeTick);
        Assert.Equal(new Selection(SelectionOutcome.NoCapableWorker, null), result);
        Assert.Equal(0, slots.WaitingCount);
        Assert.Equal(0, Fleet.LoadOf(slots, "w1"));
    }

    [Fact]
    public async Task AcquireAsync_NoCapableWorkerAfterGrace_FailsAtOnce()
    {
        // Arrange
        var slots = Fleet.CreateAllocator(_clock, liveness: TimeSpan.FromHours(1));
        _clock.Advance(Fleet.Grace + TimeSpan.FromSeconds(1));
        slots.Apply(Fleet.Worker(_clock, "w1", jobTypes: ["other.job"]));

        // Act
        var acquire = slots.AcquireAsync(Fleet.Needs("preprocess.tokenize"), Fleet.Key(1), 0, CancellationToken.None);

        // Assert
        Assert.True(acquire.IsCompletedSuccessfully);
        Assert.Equal(SelectionOutcome.NoCapableWorker, (await acquire).Outcome);
    }

    [Fact]
    public async Task AcquireAsync_CapableWorkerJoinsDuringGrace_IsSelected()
    {
        // Arrange
        var slots = Fleet.CreateAllocator(_clock);
        slots.Apply(Fleet.Worker(_clock, "other", jobTypes: ["other.job"]));
        var acquire = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), 0, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(3));

        // Act
        slots.Apply(Fleet.Worker(_clock, "late"));
        var result = await acquire.WaitAsync(Fleet.Due);

        // Assert
        Assert.Equal(new Selection(SelectionOutcome.Selected, "late"), result);
    }

    [Fact]
    public async Task AcquireAsync_NoLiveWorker_KeepsWaitingAfterGracePeriod()
    {
        // Arrange: an empty fleet.
        var slots = Fleet.CreateAllocator(_clock);

        // Act
        var acquire = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), 0, CancellationToken.None);
        _clock.Advance(Fleet.Grace + TimeSpan.FromMinutes(5));
        slots.Tick();
        var completedAfterGrace = acquire.IsCompleted;
        slots.Apply(Fleet.Worker(_clock, "w1"));
        var result = await acquire.WaitAsync(Fleet.Due);

        // Assert: still waiting after the grace period, then bound to the first worker that appears.
        Assert.False(completedAfterGrace);
        Assert.Equal(new Selection(SelectionOutcome.Selected, "w1"), result);
    }

    [Fact]
    public void AcquireAsync_OnlyWorkerStopsHeartbeating_KeepsWaitingAsNoLiveWorker()
    {
        // Arrange: the only worker is full, then its heartbeat ages out.
        var slots = Fleet.CreateAllocator(_clock);
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 1, reportedLoad: 1));

        // Act
        var acquire = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), 0, CancellationToken.None);
        _clock.Advance(Fleet.Grace + Fleet.Liveness + TimeSpan.FromSeconds(1));
        slots.Tick();

        // Assert
        Assert.False(acquire.IsCompleted);
        Assert.Equal(1, slots.WaitingCount);
        Assert.False(slots.Snapshot().Single().IsAlive);
    }

    [Fact]
    public async Task AcquireAsync_CancelledWhileWaiting_ThrowsAndLeavesNoLedgerEntry()
    {
        // Arrange
        var slots = Fleet.CreateAllocator(_clock);
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 1));
        await slots.AcquireAsync(Fleet.Needs(), Fleet.Key(0), 0, CancellationToken.None);
        using var cancellation = new CancellationTokenSource();
        var waiting = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), 0, cancellation.Token);

        // Act
        await cancellation.CancelAsync();
        var error = await Record.ExceptionAsync(() => waiting.WaitAsync(Fleet.Due));
        slots.Release("w1", Fleet.Key(0));
        var next = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 0, CancellationToken.None);

        // Assert
        Assert.IsAssignableFrom<OperationCanceledException>(error);
        Assert.True(next.IsCompletedSuccessfully);
        Assert.Equal(new Selection(SelectionOutcome.Selected, "w1"), await next);
        Assert.False(slots.Release("w1", Fleet.Key(1)));
        Assert.Equal(1, Fleet.LoadOf(slots, "w1"));
        Assert.Equal(0, slots.WaitingCount);
    }

    [Fact]
    public async Task AcquireAsync_TokenAlreadyCancelled_NeverReturnsASlotItGaveBack()
    {
        // Arrange: a free slot and a token that is cancelled before the call.
        var slots = Fleet.CreateAllocator(_clock);
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 1));
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        Selection? returned = null;

        // Act
        var error = await Record.ExceptionAsync(async () =>
            returned = await slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), 0, cancellation.Token));
        var load = Fleet.LoadOf(slots, "w1");

        // Assert: either the call is cancelled and holds nothing, or it grants the slot and the ledger keeps it.
        // A granted selection whose ledger entry is already gone lets the worker be over-assigned.
        var cancelledCleanly = error is OperationCanceledException && load == 0;
        var grantedAndHeld = error is null && returned == new Selection(SelectionOutcome.Selected, "w1") && load == 1;
        Assert.True(
            cancelledCleanly || grantedAndHeld,
            $"returned {returned?.ToString() ?? "nothing"}, threw {error?.GetType().Name ?? "nothing"}, ledger load of w1 is {load}");
    }

    [Fact]
    public void Apply_OlderOrEqualSequence_ReturnsFalseAndKeepsNewerSnapshot()
    {
        // Arrange
        var slots = Fleet.CreateAllocator(_clock);
        var newer = Fleet.Worker(_clock, "w1", capacity: 4, reportedLoad: 1, sequence: 7);
        var first = slots.Apply(newer);

        // Act
        var older = slots.Apply(Fleet.Worker(_clock, "w1", capacity: 8, reportedLoad: 3, sequence: 6));
        var equal = slots.Apply(Fleet.Worker(_clock, "w1", capacity: 8, reportedLoad: 3, sequence: 7));

        // Assert
        Assert.True(first);
        Assert.False(older);
        Assert.False(equal);
        var view = Assert.Single(slots.Snapshot());
        Assert.Same(newer, view.Snapshot);
        Assert.Equal(1, view.EstimatedLoad);
    }

    [Fact]
    public async Task Apply_HeartbeatWithMoreCapacity_GrantsWaitingTask()
    {
        // Arrange
        var slots = Fleet.CreateAllocator(_clock);
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 1, sequence: 1));
        await slots.AcquireAsync(Fleet.Needs(), Fleet.Key(0), 0, CancellationToken.None);
        var waiting = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), 0, CancellationToken.None);

        // Act
        var applied = slots.Apply(Fleet.Worker(_clock, "w1", capacity: 2, reportedLoad: 1, sequence: 2));
        var result = await waiting.WaitAsync(Fleet.Due);

        // Assert
        Assert.True(applied);
        Assert.Equal(new Selection(SelectionOutcome.Selected, "w1"), result);
        Assert.Equal(2, Fleet.LoadOf(slots, "w1"));
    }

    [Fact]
    public void Snapshot_Always_ReportsEstimatedLoadAndLiveness()
    {
        // Arrange: w1 reports 1 task from elsewhere and gets 1 from us; w2 is idle and goes quiet.
        var slots = Fleet.CreateAllocator(_clock);
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 4, jobTypes: ["a"], reportedLoad: 1));
        slots.Apply(Fleet.Worker(_clock, "w2", capacity: 4, jobTypes: ["b"]));
        _ = slots.AcquireAsync(Fleet.Needs("a"), Fleet.Key(1), 0, CancellationToken.None);
        slots.Restore("w2", Fleet.Key(2));
        var before = slots.Snapshot().ToDictionary(v => v.Snapshot.WorkerId);

        // Act
        _clock.Advance(Fleet.Liveness);
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 4, jobTypes: ["a"], reportedLoad: 2, sequence: 2));
        _clock.Advance(TimeSpan.FromSeconds(1));
        var after = slots.Snapshot().ToDictionary(v => v.Snapshot.WorkerId);

        // Assert
        Assert.Equal(2, before["w1"].EstimatedLoad);
        Assert.Equal(1, before["w2"].EstimatedLoad);
        Assert.True(before["w1"].IsAlive);
        Assert.True(before["w2"].IsAlive);
        Assert.Equal(2, after["w1"].EstimatedLoad);
        Assert.True(after["w1"].IsAlive);
        Assert.False(after["w2"].IsAlive);
        Assert.Equal(1, after["w2"].EstimatedLoad);
    }

    [Fact]
    public void Release_UnknownAssignment_ReturnsFalse()
    {
        // Arrange
        var slots = Fleet.CreateAllocator(_clock);
        slots.Apply(Fleet.Worker(_clock, "w1"));

        // Act
        var released = slots.Release("w1", Fleet.Key(99));

        // Assert
        Assert.False(released);
        Assert.Equal(0, Fleet.LoadOf(slots, "w1"));
    }

    [Fact]
    public void Restore_FillsCapacity_SoNewTasksWait()
    {
        // Arrange
        var slots = Fleet.CreateAllocator(_clock);
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 1));

        // Act
        slots.Restore("w1", Fleet.Key(1));
        var acquire = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 0, CancellationToken.None);

        // Assert
        Assert.False(acquire.IsCompleted);
        Assert.Equal(1, slots.WaitingCount);
        Assert.Equal(1, Fleet.LoadOf(slots, "w1"));
    }
}
