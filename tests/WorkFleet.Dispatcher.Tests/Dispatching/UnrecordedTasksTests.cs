using Microsoft.Extensions.Time.Testing;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Tests.Support;

namespace WorkFleet.Dispatcher.Tests.Dispatching;

/// <summary>New tasks waiting unrecorded: due after their window, or at once when a cancel needs them stored.</summary>
public sealed class UnrecordedTasksTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _clock = new(Fleet.Start);

    [Fact]
    public void Add_WindowPasses_RecordBecomesDue()
    {
        var unrecorded = new UnrecordedTasks(_clock);
        using var waiting = unrecorded.Add(Guid.NewGuid(), Window)!;

        _clock.Advance(Window - TimeSpan.FromMilliseconds(1));
        var dueEarly = waiting.RecordDue.IsCancellationRequested;
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.False(dueEarly);
        Assert.True(waiting.RecordDue.IsCancellationRequested);
    }

    [Fact]
    public void Add_SameTaskTwice_SecondCopyGetsNoWindow()
    {
        var unrecorded = new UnrecordedTasks(_clock);
        var id = Guid.NewGuid();
        using var first = unrecorded.Add(id, Window);

        var second = unrecorded.Add(id, Window);

        Assert.NotNull(first);
        Assert.Null(second);
    }

    [Fact]
    public async Task RecordNowAsync_WaitingTask_MakesItDueAndReturnsOnceRecorded()
    {
        var unrecorded = new UnrecordedTasks(_clock);
        var id = Guid.NewGuid();
        using var waiting = unrecorded.Add(id, Window)!;

        var asking = unrecorded.RecordNowAsync(id, CancellationToken.None);
        var due = waiting.RecordDue.IsCancellationRequested;
        var returnedBeforeRecord = asking.IsCompleted;
        waiting.MarkRecorded();

        Assert.True(due);
        Assert.False(returnedBeforeRecord);
        Assert.True(await asking);
    }

    [Fact]
    public async Task RecordNowAsync_UnknownOrFinishedTask_False()
    {
        var unrecorded = new UnrecordedTasks(_clock);
        var id = Guid.NewGuid();
        unrecorded.Add(id, Window)!.Dispose();

        Assert.False(await unrecorded.RecordNowAsync(id, CancellationToken.None));
        Assert.False(await unrecorded.RecordNowAsync(Guid.NewGuid(), CancellationToken.None));
    }

    [Fact]
    public async Task Dispose_WhileACancelWaitsForTheRecord_ReleasesIt()
    {
        var unrecorded = new UnrecordedTasks(_clock);
        var id = Guid.NewGuid();
        var waiting = unrecorded.Add(id, Window)!;
        var asking = unrecorded.RecordNowAsync(id, CancellationToken.None);

        waiting.Dispose();
        waiting.RecordNow();

        Assert.True(await asking.WaitAsync(TimeSpan.FromSeconds(30)));
    }
}
