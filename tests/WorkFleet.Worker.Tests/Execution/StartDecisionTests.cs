using WorkFleet.Worker.Configuration;
using WorkFleet.Worker.Execution;

namespace WorkFleet.Worker.Tests.Execution;

/// <summary>Which arriving attempts start: not a cancelled task's, and not a second copy of one that runs.</summary>
public sealed class StartDecisionTests
{
    private readonly WorkerRuntime _runtime = new(new WorkerOptions { WorkerId = "w1" }, ["test.echo"], DateTimeOffset.UtcNow);

    [Fact]
    public void TrackRunning_SameAttemptTwice_TheCopyIsAlreadyRunning()
    {
        using var first = new CancellationTokenSource();
        using var copy = new CancellationTokenSource();
        var task = Guid.NewGuid();

        Assert.Equal(StartDecision.Start, _runtime.TrackRunning(task, 1, first));
        Assert.Equal(StartDecision.AlreadyRunning, _runtime.TrackRunning(task, 1, copy));
    }

    [Fact]
    public void TrackRunning_NextAttemptWhileTheLastStillRuns_Starts()
    {
        using var previous = new CancellationTokenSource();
        using var next = new CancellationTokenSource();
        var task = Guid.NewGuid();
        _runtime.TrackRunning(task, 1, previous);

        Assert.Equal(StartDecision.Start, _runtime.TrackRunning(task, 2, next));
    }

    [Fact]
    public void TrackRunning_CancelledTask_IsCancelledWhateverRuns()
    {
        using var source = new CancellationTokenSource();
        var task = Guid.NewGuid();
        _runtime.Cancel(task);

        Assert.Equal(StartDecision.Cancelled, _runtime.TrackRunning(task, 1, source));
    }

    [Fact]
    public void TrackRunning_AfterTheAttemptFinished_ACopyStartsAgain()
    {
        using var first = new CancellationTokenSource();
        using var later = new CancellationTokenSource();
        var task = Guid.NewGuid();
        _runtime.TrackRunning(task, 1, first);
        _runtime.Untrack(task, 1);

        Assert.Equal(StartDecision.Start, _runtime.TrackRunning(task, 1, later));
    }
}
