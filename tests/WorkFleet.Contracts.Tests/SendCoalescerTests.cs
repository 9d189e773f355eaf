using WorkFleet.Messaging.Coalescing;

namespace WorkFleet.Contracts.Tests;

public sealed class SendCoalescerTests
{
    [Fact]
    public async Task SendAsync_Idle_SendsAtOnceAlone_ThenWhatArrivedMeanwhileInOneMessage()
    {
        // Arrange: sends that finish only when the test says so.
        var sends = new GatedSends();
        var coalescer = new SendCoalescer<int>(sends.SendAsync, maxItems: 10, maxBytes: 1000, sizeOf: _ => 1);

        // Act
        var first = coalescer.SendAsync(1);
        var second = coalescer.SendAsync(2);
        var third = coalescer.SendAsync(3);
        Assert.Equal([[1]], sends.Started);
        Assert.False(second.IsCompleted);
        sends.Finish(0);
        await first;

        // Assert: the two that waited went together, and each caller is released when its message is sent.
        Assert.Equal([[1], [2, 3]], sends.Started);
        Assert.False(second.IsCompleted || third.IsCompleted);
        sends.Finish(1);
        await Task.WhenAll(second, third);
        Assert.Equal(0, coalescer.Waiting);
    }

    [Fact]
    public async Task SendAsync_AfterEverythingWasSent_GoesAloneAgain()
    {
        // Arrange
        var sends = new GatedSends();
        var coalescer = new SendCoalescer<int>(sends.SendAsync, maxItems: 10, maxBytes: 1000, sizeOf: _ => 1);
        var first = coalescer.SendAsync(1);
        sends.Finish(0);
        await first;

        // Act
        var later = coalescer.SendAsync(2);

        // Assert
        Assert.Equal([[1], [2]], sends.Started);
        sends.Finish(1);
        await later;
    }

    [Fact]
    public async Task SendAsync_WaitingBeyondTheCaps_SplitIntoMessagesOfAtMostMaxItemsAndMaxBytes()
    {
        // Arrange: at most 3 items, at most 10 bytes past the first; item n weighs n.
        var sends = new GatedSends();
        var coalescer = new SendCoalescer<int>(sends.SendAsync, maxItems: 3, maxBytes: 10, sizeOf: n => n);
        var all = new List<Task> { coalescer.SendAsync(0) };

        // Act
        all.AddRange(new[] { 1, 1, 1, 1, 4, 7, 20, 1 }.Select(n => coalescer.SendAsync(n)));
        for (var i = 0; i < 6; i++)
        {
            await sends.StartedAsync(i);
            sends.Finish(i);
        }

        await Task.WhenAll(all);

        // Assert: three items; then 1 + 4 (7 more would pass 10); 7 (20 more would); 20 (first, so over the bytes); 1.
        Assert.Equal([[0], [1, 1, 1], [1, 4], [7], [20], [1]], sends.Started);
    }

    [Fact]
    public async Task SendAsync_ASendFails_EveryCallerOfThatMessageSeesIt_TheNextMessageStillGoes()
    {
        // Arrange
        var sends = new GatedSends();
        var coalescer = new SendCoalescer<int>(sends.SendAsync, maxItems: 10, maxBytes: 1000, sizeOf: _ => 1);
        var first = coalescer.SendAsync(1);
        var second = coalescer.SendAsync(2);
        var third = coalescer.SendAsync(3);
        sends.Finish(0);
        await first;
        var fourth = coalescer.SendAsync(4);

        // Act
        sends.Fail(1, new InvalidOperationException("the queue is gone"));

        // Assert
        Assert.Equal("the queue is gone", (await Assert.ThrowsAsync<InvalidOperationException>(() => second)).Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => third);
        Assert.Equal([[1], [2, 3], [4]], sends.Started);
        sends.Finish(2);
        await fourth;
    }

    /// <summary>Records each send's items; each send completes when the test finishes it.</summary>
    private sealed class GatedSends
    {
        private readonly List<(int[] Items, TaskCompletionSource Done)> _sends = [];

        public List<int[]> Started
        {
            get
            {
                lock (_sends)
                {
                    return [.. _sends.Select(s => s.Items)];
                }
            }
        }

        public Task SendAsync(IReadOnlyList<int> items)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_sends)
            {
                _sends.Add(([.. items], done));
            }

            return done.Task;
        }

        public async Task StartedAsync(int index)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (Started.Count <= index)
            {
                await Task.Delay(1, deadline.Token);
            }
        }

        public void Finish(int index) => Gate(index).SetResult();

        public void Fail(int index, Exception error) => Gate(index).SetException(error);

        private TaskCompletionSource Gate(int index)
        {
            lock (_sends)
            {
                return _sends[index].Done;
            }
        }
    }
}
