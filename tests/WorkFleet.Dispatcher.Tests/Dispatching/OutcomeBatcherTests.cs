using System.Text.Json;
using MassTransit;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dispatcher.Tests.Dispatching;

public sealed class OutcomeBatcherTests
{
    private static readonly Uri ReplyQueue = new("exchange:workfleet.client.alice.test?temporary=true");

    // The fake send never uses the sender; the batcher only hands it on.
    private static readonly ISendEndpointProvider Sender = null!;

    [Fact]
    public async Task SendAsync_NothingInFlight_SendsAtOnceAndCompletesWithTheSend()
    {
        // Arrange
        var queue = new FakeReplyQueue();
        var batcher = new OutcomeBatcher(queue.SendAsync);
        var outcome = Outcome();

        // Act
        var sent = batcher.SendAsync(ReplyQueue, outcome, Sender, CancellationToken.None);

        // Assert: the send started before anything completed it; the caller waits for it.
        Assert.Equal([outcome], await queue.StartedAsync(0));
        Assert.False(sent.IsCompleted);
        queue.Finish(0);
        await Deadline.Within(sent);
    }

    [Fact]
    public async Task SendAsync_WhileASendIsInFlight_LaterOutcomesWaitAndGoTogetherInOneSend()
    {
        // Arrange: a first send held in flight.
        var queue = new FakeReplyQueue();
        var batcher = new OutcomeBatcher(queue.SendAsync);
        var first = batcher.SendAsync(ReplyQueue, Outcome(), Sender, CancellationToken.None);
        await queue.StartedAsync(0);

        // Act
        var later = Enumerable.Range(0, 10).Select(_ => Outcome()).ToList();
        var waiting = later.Select(o => batcher.SendAsync(ReplyQueue, o, Sender, CancellationToken.None)).ToList();

        // Assert: nothing more is sent, nor released, while the first send is in flight ...
        Assert.Single(queue.Sends);
        Assert.DoesNotContain(waiting, t => t.IsCompleted);

        // ... then all ten go in one send, and each caller is released once it completed.
        queue.Finish(0);
        await Deadline.Within(first);
        Assert.Equal(later.ToHashSet(), (await queue.StartedAsync(1)).ToHashSet());
        Assert.DoesNotContain(waiting, t => t.IsCompleted);
        queue.Finish(1);
        await Deadline.Within(Task.WhenAll(waiting));
        Assert.Equal(2, queue.Sends.Count);
    }

    [Fact]
    public async Task SendAsync_SendFails_EveryCallerItCarriedFails_AndLaterOutcomesAreStillSent()
    {
        // Arrange: a first send in flight, five outcomes waiting behind it.
        var queue = new FakeReplyQueue();
        var batcher = new OutcomeBatcher(queue.SendAsync);
        var first = batcher.SendAsync(ReplyQueue, Outcome(), Sender, CancellationToken.None);
        await queue.StartedAsync(0);
        var carried = Enumerable.Range(0, 5).Select(_ => batcher.SendAsync(ReplyQueue, Outcome(), Sender, CancellationToken.None)).ToList();
        queue.Finish(0);
        await Deadline.Within(first);
        await queue.StartedAsync(1);

        // Act: the send carrying the five fails.
        var broken = new InvalidOperationException("broker gone");
        queue.Finish(1, broken);

        // Assert
        foreach (var caller in carried)
        {
            Assert.Same(broken, await Assert.ThrowsAsync<InvalidOperationException>(() => Deadline.Within(caller)));
        }

        var next = Outcome();
        var after = batcher.SendAsync(ReplyQueue, next, Sender, CancellationToken.None);
        Assert.Equal([next], await queue.StartedAsync(2));
        queue.Finish(2);
        await Deadline.Within(after);
    }

    [Fact]
    public async Task SendAsync_MoreWaitingThanTheOutcomeCap_SendsThemInBatchesWithinTheCap()
    {
        // Arrange: a cap of 4 outcomes, a first send in flight, ten outcomes waiting.
        var queue = new FakeReplyQueue();
        var batcher = new OutcomeBatcher(queue.SendAsync, maxOutcomes: 4);
        var first = batcher.SendAsync(ReplyQueue, Outcome(), Sender, CancellationToken.None);
        await queue.StartedAsync(0);
        var later = Enumerable.Range(0, 10).Select(_ => Outcome()).ToList();
        var waiting = later.Select(o => batcher.SendAsync(ReplyQueue, o, Sender, CancellationToken.None)).ToList();

        // Act: complete each send as it starts until every caller is released.
        var sends = await FinishAllAsync(queue, waiting);

        // Assert: every waiting outcome sent exactly once, no send over the cap.
        Assert.All(sends.Skip(1), s => Assert.InRange(s.Count, 1, 4));
        Assert.Equal(later.OrderBy(o => o.TaskId), sends.Skip(1).SelectMany(s => s).OrderBy(o => o.TaskId));
        await Deadline.Within(first);
    }

    [Fact]
    public async Task SendAsync_ResultsOverTheByteCap_SplitIntoSendsWithinIt_AndALargerOutcomeGoesAlone()
    {
        // Arrange: a cap of 100 bytes; waiting: four outcomes of 40 result bytes and one of 200.
        var queue = new FakeReplyQueue();
        var batcher = new OutcomeBatcher(queue.SendAsync, maxResultBytes: 100);
        var first = batcher.SendAsync(ReplyQueue, Outcome(), Sender, CancellationToken.None);
        await queue.StartedAsync(0);
        var small = Enumerable.Range(0, 4).Select(_ => Outcome(resultBytes: 40)).ToList();
        var large = Outcome(resultBytes: 200);
        var waiting = small.Take(2).Append(large).Concat(small.Skip(2)).Select(o => batcher.SendAsync(ReplyQueue, o, Sender, CancellationToken.None)).ToList();

        // Act
        var sends = await FinishAllAsync(queue, waiting);

        // Assert: the large outcome alone; the others in sends of at most 100 result bytes; each sent once.
        Assert.Contains(sends, s => s.Count == 1 && s[0] == large);
        Assert.All(sends.Where(s => !s.Contains(large)), s => Assert.InRange(s.Sum(OutcomeBatcher.SizeOf), 0, 100));
        Assert.Equal(small.Append(large).OrderBy(o => o.TaskId), sends.Skip(1).SelectMany(s => s).OrderBy(o => o.TaskId));
        await Deadline.Within(first);
    }

    [Fact]
    public async Task SendAsync_CallerCancelledWhileWaiting_StopsWaitingAndItsOutcomeIsNotSent()
    {
        // Arrange: a first send in flight; two outcomes waiting, one of whose callers gives up.
        var queue = new FakeReplyQueue();
        var batcher = new OutcomeBatcher(queue.SendAsync);
        var first = batcher.SendAsync(ReplyQueue, Outcome(), Sender, CancellationToken.None);
        await queue.StartedAsync(0);
        using var giveUp = new CancellationTokenSource();
        var abandoned = batcher.SendAsync(ReplyQueue, Outcome(), Sender, giveUp.Token);
        var kept = Outcome();
        var waiting = batcher.SendAsync(ReplyQueue, kept, Sender, CancellationToken.None);

        // Act
        await giveUp.CancelAsync();

        // Assert: the caller is released at once, cancelled; the next send carries only the other outcome.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Deadline.Within(abandoned));
        queue.Finish(0);
        Assert.Equal([kept], await queue.StartedAsync(1));
        queue.Finish(1);
        await Deadline.Within(Task.WhenAll(first, waiting));
    }

    /// <summary>Completes each send as it starts until all of <paramref name="callers"/> are released; returns every send.</summary>
    private static async Task<IReadOnlyList<IReadOnlyList<TaskFinished>>> FinishAllAsync(FakeReplyQueue queue, List<Task> callers)
    {
        var all = Task.WhenAll(callers);
        for (var index = 0; !all.IsCompleted; index++)
        {
            queue.Finish(index);
            var next = index + 1;
            await Eventually.UntilAsync(() => Task.FromResult(all.IsCompleted || queue.Sends.Count > next), done => done, TimeSpan.FromSeconds(10), "the next send or every caller released");
        }

        await all;
        return queue.Sends;
    }

    private static TaskFinished Outcome(int resultBytes = 0) => new()
    {
        TaskId = Guid.NewGuid(),
        Outcome = TaskOutcome.Succeeded,
        Result = resultBytes == 0 ? null : JsonSerializer.SerializeToElement(new string('x', resultBytes - 2)),
        FinishedAt = DateTimeOffset.UnixEpoch,
    };
}
