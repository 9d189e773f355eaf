using Microsoft.Extensions.Time.Testing;
using WorkFleet.Balancing;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Tests.Support;

namespace WorkFleet.Dispatcher.Tests;

/// <summary>Attempts other dispatchers broadcast: counted, released, never counted twice, reconciled.</summary>
public sealed class SharedLedgerTests
{
    private readonly FakeTimeProvider _clock = new(Fleet.Start);

    [Fact]
    public async Task Observe_OtherDispatchersAttemptFillsTheLastSlot_LocalTaskWaitsUntilItsEnd()
    {
        // Arrange
        var slots = Fleet.CreateAllocator(_clock);
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 1));

        // Act
        var counted = slots.Observe("w1", new ObservedAttempt(Fleet.Key(1)));
        var waiting = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 0, CancellationToken.None);
        var waitedWhileTaken = !waiting.IsCompleted;
        slots.Release("w1", Fleet.Key(1));
        var granted = await waiting.WaitAsync(Fleet.Due);

        // Assert
        Assert.True(counted);
        Assert.True(waitedWhileTaken);
        Assert.Equal(new Selection(SelectionOutcome.Selected, "w1"), granted);
    }

    [Fact]
    public void Observe_EndArrivedBeforeTheAssignment_IsNotCounted()
    {
        // Arrange: the end (from the dispatcher that stored the result) overtook the assignment broadcast.
        var slots = Fleet.CreateAllocator(_clock);
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 4));
        slots.Release("w1", Fleet.Key(7));

        // Act
        var counted = slots.Observe("w1", new ObservedAttempt(Fleet.Key(7)));

        // Assert
        Assert.False(counted);
        Assert.Equal(0, Fleet.LoadOf(slots, "w1"));
    }

    [Fact]
    public void Observe_SameAttemptTwice_CountsOnce()
    {
        var slots = Fleet.CreateAllocator(_clock);
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 4));

        Assert.True(slots.Observe("w1", new ObservedAttempt(Fleet.Key(3))));
        Assert.False(slots.Observe("w1", new ObservedAttempt(Fleet.Key(3))));
        Assert.Equal(1, Fleet.LoadOf(slots, "w1"));
    }

    [Fact]
    public void Reconcile_ObservedAttemptTheStoreHasFinished_IsDroppedOnlyOnceOldEnough()
    {
        // Arrange: two observed attempts; the store still holds key 1 open, key 2 is finished (its end was lost).
        var slots = Fleet.CreateAllocator(_clock);
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 4));
        slots.Observe("w1", new ObservedAttempt(Fleet.Key(1)));
        slots.Observe("w1", new ObservedAttempt(Fleet.Key(2)));
        var open = new HashSet<AssignmentKey> { Fleet.Key(1) };

        // Act
        var droppedWhileYoung = slots.Reconcile(open, observedBefore: _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromSeconds(11));
        var droppedWhenOld = slots.Reconcile(open, observedBefore: _clock.GetUtcNow() - TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(0, droppedWhileYoung);
        Assert.Equal(1, droppedWhenOld);
        Assert.Equal(1, Fleet.LoadOf(slots, "w1"));
    }

    [Fact]
    public async Task Reconcile_OwnAttemptMissingFromTheStore_IsKept()
    {
        // Own attempts leave with their result or a rescue, never by reconciliation.
        var slots = Fleet.CreateAllocator(_clock);
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 4));
        await slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), 0, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(1));

        var dropped = slots.Reconcile(new HashSet<AssignmentKey>(), observedBefore: _clock.GetUtcNow());

        Assert.Equal(0, dropped);
        Assert.Equal(1, Fleet.LoadOf(slots, "w1"));
    }

    [Fact]
    public async Task ReleaseFinished_WaitingTaskTakesTheSlot_ReturnsItAsSuccessor()
    {
        // Arrange: a full worker and a task waiting for it.
        var slots = Fleet.CreateAllocator(_clock);
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 1));
        await slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), 0, CancellationToken.None);
        var waiting = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 0, CancellationToken.None);

        // Act
        var successors = slots.ReleaseFinished("w1", Fleet.Key(1));

        // Assert
        Assert.Equal([Fleet.Key(2)], successors);
        Assert.Equal(new Selection(SelectionOutcome.Selected, "w1"), await waiting.WaitAsync(Fleet.Due));
    }

    [Fact]
    public async Task Replace_EndWithSuccessor_SlotNeverLooksFreeToAWaitingTask()
    {
        // Arrange: another dispatcher's attempt fills the worker; a local task waits.
        var slots = Fleet.CreateAllocator(_clock);
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 1));
        slots.Observe("w1", new ObservedAttempt(Fleet.Key(1)));
        var waiting = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(3), 0, CancellationToken.None);

        // Act: the other dispatcher reports the end of key 1 and that key 2 took the slot.
        slots.Replace("w1", Fleet.Key(1), [new ObservedAttempt(Fleet.Key(2))]);
        var grantedAfterHandover = waiting.IsCompleted;
        slots.Release("w1", Fleet.Key(2));

        // Assert
        Assert.False(grantedAfterHandover);
        Assert.Equal(new Selection(SelectionOutcome.Selected, "w1"), await waiting.WaitAsync(Fleet.Due));
    }
}
