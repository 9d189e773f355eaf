using Microsoft.Extensions.Logging.Testing;
using WorkFleet.Contracts;
using WorkFleet.Dashboard.Api;
using WorkFleet.Dashboard.Configuration;

namespace WorkFleet.Dashboard.Tests.Api;

/// <summary>Outcomes handed to waits and event streams without waiting for any of them.</summary>
public sealed class TaskOutcomeHubTests
{
    private readonly FakeLogger<TaskOutcomeHub> _logger = new();

    [Fact]
    public async Task Recorded_WakesEveryWatchOfThatTask_AndNoOther()
    {
        var hub = new TaskOutcomeHub(new HttpApiOptions(), _logger);
        var taskId = Guid.NewGuid();
        using var first = hub.Watch(taskId);
        using var second = hub.Watch(taskId);
        using var other = hub.Watch(Guid.NewGuid());

        hub.Recorded(Finished(taskId));

        Assert.Equal(taskId, (await Deadline.Within(first.Outcome)).TaskId);
        Assert.Equal(taskId, (await Deadline.Within(second.Outcome)).TaskId);
        Assert.False(other.Outcome.IsCompleted);
    }

    [Fact]
    public void Stream_SubscriberThatFallsBehind_IsDroppedWithALogLine_OthersKeepReceiving()
    {
        var hub = new TaskOutcomeHub(new HttpApiOptions { EventBufferSize = 2 }, _logger);
        using var slow = hub.Subscribe("slow-reader");
        using var fast = hub.Subscribe("fast-reader");
        var received = new List<Guid>();

        for (var i = 0; i < 5; i++)
        {
            hub.Recorded(Finished(Guid.NewGuid()));
            while (fast.Outcomes.TryRead(out var outcome))
            {
                received.Add(outcome.TaskId);
            }
        }

        Assert.True(slow.Dropped);
        Assert.Equal(2, slow.Outcomes.Count);
        Assert.False(fast.Dropped);
        Assert.Equal(5, received.Count);
        Assert.Contains("slow-reader", Assert.Single(_logger.Collector.GetSnapshot()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stream_SameOutcomeFromTheStoreAfterItWasRecorded_IsStreamedOnce()
    {
        var hub = new TaskOutcomeHub(new HttpApiOptions(), _logger);
        using var subscription = hub.Subscribe("reader");
        var outcome = Finished(Guid.NewGuid());

        hub.Recorded(outcome);
        hub.Stream(outcome);

        Assert.Equal(1, subscription.Outcomes.Count);
    }

    private static TaskFinished Finished(Guid taskId) => new() { TaskId = taskId, Outcome = TaskOutcome.Succeeded, Attempt = 1 };
}
