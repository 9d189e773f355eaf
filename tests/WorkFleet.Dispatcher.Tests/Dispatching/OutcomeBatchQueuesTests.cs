using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dispatcher.Tests.Dispatching;

public sealed class OutcomeBatchQueuesTests
{
    [Fact]
    public void Accept_MoreQueuesThanItsCapacity_RemembersAtMostCapacity_IncludingTheNewest()
    {
        // Arrange
        var queues = new OutcomeBatchQueues((_, _) => Task.CompletedTask);
        var names = Enumerable.Range(0, OutcomeBatchQueues.Capacity + 50).Select(i => $"workfleet.client.alice.q{i}").ToList();

        // Act
        names.ForEach(queues.Accept);

        // Assert
        Assert.InRange(names.Count(n => queues.BatcherOf(n) is not null), 1, OutcomeBatchQueues.Capacity);
        Assert.NotNull(queues.BatcherOf(names[^1]));
        Assert.Null(queues.BatcherOf("workfleet.client.alice.never-seen"));
    }

    [Fact]
    public void Accept_SameQueueAgain_KeepsItsBatcher()
    {
        // Arrange
        var queues = new OutcomeBatchQueues((_, _) => Task.CompletedTask);
        queues.Accept("workfleet.client.alice.a");
        var batcher = queues.BatcherOf("workfleet.client.alice.a");

        // Act
        queues.Accept("workfleet.client.alice.a");

        // Assert: a batcher with a send in flight is never replaced by a second one for the same queue.
        Assert.Same(batcher, queues.BatcherOf("workfleet.client.alice.a"));
    }
}
