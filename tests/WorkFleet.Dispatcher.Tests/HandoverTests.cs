using Microsoft.Extensions.Time.Testing;
using WorkFleet.Balancing;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Tests.Support;

namespace WorkFleet.Dispatcher.Tests;

/// <summary>What a dispatcher announces to its peers: its own attempts, and a handover only once.</summary>
public sealed class HandoverTests
{
    private readonly FakeTimeProvider _clock = new(Fleet.Start);

    [Fact]
    public async Task TakeHandover_SuccessorOfAFinishedAttempt_IsTrueOnceAndOnlyForIt()
    {
        // Arrange: the only slot is held and a task waits for it.
        var slots = Fleet.CreateAllocator(_clock);
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 1));
        Assert.Equal(SelectionOutcome.Selected, (await slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), 0, CancellationToken.None)).Outcome);
        var waiting = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 0, CancellationToken.None);

        // Act: the holder finishes; the waiting task takes its slot in the same step.
        var successors = slots.ReleaseFinished("w1", Fleet.Key(1));
        await waiting.WaitAsync(Fleet.Due);

        // Assert: the end broadcast carries the successor, so its own announcement is skipped, once.
        Assert.Equal([Fleet.Key(2)], successors);
        Assert.True(slots.TakeHandover(Fleet.Key(2)));
        Assert.False(slots.TakeHandover(Fleet.Key(2)));
        Assert.False(slots.TakeHandover(Fleet.Key(1)));
    }

    [Fact]
    public async Task OwnAssignments_LeavesOutWhatOtherDispatchersReported()
    {
        var slots = Fleet.CreateAllocator(_clock);
        slots.Apply(Fleet.Worker(_clock, "w1", capacity: 4));
        await slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), 0, CancellationToken.None);
        slots.Restore("w1", Fleet.Key(2));
        slots.Observe("w1", new ObservedAttempt(Fleet.Key(3)));

        var own = slots.OwnAssignments();

        Assert.Equal(new[] { ("w1", Fleet.Key(1)), ("w1", Fleet.Key(2)) }.ToHashSet(), own.ToHashSet());
    }
}
