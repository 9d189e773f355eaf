using WorkFleet.Dispatcher.Trust;

namespace WorkFleet.Dispatcher.Tests.Trust;

public sealed class WorkerPinsTests
{
    private static readonly Dictionary<string, string> Pins = new(StringComparer.Ordinal)
    {
        ["gpu-1"] = "wf-worker-gpu-1",
        ["gpu-2"] = "wf-worker-gpu-2",
    };

    [Fact]
    public void PinnedWorker_IsBelievedFromItsOwnUserOnly()
    {
        Assert.Null(WorkerPins.Problem(Pins, "gpu-1", "wf-worker-gpu-1"));

        var problem = WorkerPins.Problem(Pins, "gpu-1", "wf-worker-gpu-2");

        Assert.NotNull(problem);
        Assert.Contains("'gpu-1' is pinned to broker user 'wf-worker-gpu-1'", problem, StringComparison.Ordinal);
        Assert.Contains("'wf-worker-gpu-2'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void PinnedUser_SpeaksOnlyForItsWorkers_EvenForAnIdNobodyClaimed()
    {
        var problem = WorkerPins.Problem(Pins, "cpu-9", "wf-worker-gpu-2");

        Assert.NotNull(problem);
        Assert.Contains("'wf-worker-gpu-2' is pinned to worker(s) 'gpu-2'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void UnpinnedWorkerFromUnpinnedUser_IsLeftToTheFirstSenderBinding()
    {
        Assert.Null(WorkerPins.Problem(Pins, "cpu-9", "wf-worker"));
        Assert.Null(WorkerPins.Problem(new Dictionary<string, string>(), "anything", "anyone"));
        Assert.True(WorkerPins.IsPinnedUser(Pins, "wf-worker-gpu-1"));
        Assert.False(WorkerPins.IsPinnedUser(Pins, "wf-worker"));
    }
}
