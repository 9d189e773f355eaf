using System.Collections.Concurrent;
using WorkFleet.Worker.Batching;

namespace WorkFleet.Worker.Tests.Batching;

public sealed class BatchCollectorTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(5);
    private readonly CountingFakeTimeProvider _clock = new();
    private readonly ConcurrentQueue<int[]> _batches = new();

    private BatchCollector<int, string> Collector(int maxBatchSize, Func<IReadOnlyList<int>, CancellationToken, Task<IReadOnlyList<string>>>? execute = null, int maxConcurrentBatches = 1) =>
        new(maxBatchSize, Delay, maxConcurrentBatches, execute ?? Record, _clock);

    private Task<IReadOnlyList<string>> Record(IReadOnlyList<int> items, CancellationToken cancellationToken)
    {
        _batches.Enqueue([.. items]);
        return Task.FromResult<IReadOnlyList<string>>([.. items.Select(i => $"r{i}")]);
    }

    [Fact]
    public async Task Add_BatchFills_RunsOnceAtOnceAndAnswersEachItem()
    {
        var collector = Collector(maxBatchSize: 3);

        var results = await Deadline.Within(Task.WhenAll(
            collector.AddAsync("m", 1, CancellationToken.None),
            collector.AddAsync("m", 2, CancellationToken.None),
            collector.AddAsync("m", 3, CancellationToken.None)));

        Assert.Equal(["r1", "r2", "r3"], results);
        Assert.Equal([1, 2, 3], Assert.Single(_batches));
        Assert.Equal(0, _clock.PendingTimers);
    }

    [Fact]
    public async Task Add_BatchNotFull_WaitsForMaxDelayThenRunsWhatItHas()
    {
        var collector = Collector(maxBatchSize: 4);
        var first = collector.AddAsync("m", 1, CancellationToken.None);
        var second = collector.AddAsync("m", 2, CancellationToken.None);

        _clock.Advance(Delay - TimeSpan.FromTicks(1));
        Assert.False(first.IsCompleted);
        Assert.Empty(_batches);

        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(["r1", "r2"], await Deadline.Within(Task.WhenAll(first, second)));
        Assert.Equal([1, 2], Assert.Single(_batches));
    }

    [Fact]
    public async Task Add_AfterABatchStarted_GathersTheNextBatch()
    {
        var collector = Collector(maxBatchSize: 2);

        await Deadline.Within(Task.WhenAll(collector.AddAsync("m", 1, CancellationToken.None), collector.AddAsync("m", 2, CancellationToken.None)));
        var third = collector.AddAsync("m", 3, CancellationToken.None);
        _clock.Advance(Delay);

        Assert.Equal("r3", await Deadline.Within(third));
        Assert.Equal(new[] { new[] { 1, 2 }, [3] }, _batches.ToArray());
    }

    [Fact]
    public async Task Add_DifferentKeys_NeverShareABatch()
    {
        var collector = Collector(maxBatchSize: 2);

        var a1 = collector.AddAsync("a", 1, CancellationToken.None);
        var b2 = collector.AddAsync("b", 2, CancellationToken.None);
        var a3 = collector.AddAsync("a", 3, CancellationToken.None);
        await Deadline.Within(Task.WhenAll(a1, a3));
        _clock.Advance(Delay);

        Assert.Equal("r2", await Deadline.Within(b2));
        Assert.Equal(new[] { new[] { 1, 3 }, [2] }, _batches.ToArray());
    }

    [Fact]
    public async Task Add_MaxBatchSizeOne_RunsEachItemAloneWithoutATimer()
    {
        var collector = Collector(maxBatchSize: 1);

        Assert.Equal("r7", await Deadline.Within(collector.AddAsync("m", 7, CancellationToken.None)));
        Assert.Equal(0, _clock.PendingTimers);
    }

    [Fact]
    public async Task Add_ItemCancelledWhileGathering_LeftOutAndTheOthersRun()
    {
        var collector = Collector(maxBatchSize: 4);
        using var cancel = new CancellationTokenSource();
        var kept = collector.AddAsync("m", 1, CancellationToken.None);
        var dropped = collector.AddAsync("m", 2, cancel.Token);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Deadline.Within(dropped));
        _clock.Advance(Delay);

        Assert.Equal("r1", await Deadline.Within(kept));
        Assert.Equal([1], Assert.Single(_batches));
    }

    [Fact]
    public async Task Add_ItemCancelledWhileItsBatchRuns_StopsWaitingAndTheOthersGetTheirResults()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var collector = Collector(maxBatchSize: 2, async (items, token) =>
        {
            started.SetResult(token);
            await release.Task;
            return [.. items.Select(i => $"r{i}")];
        });
        using var timeout = new CancellationTokenSource();
        var timedOut = collector.AddAsync("m", 1, timeout.Token);
        var other = collector.AddAsync("m", 2, CancellationToken.None);
        var batchToken = await Deadline.Within(started.Task);

        await timeout.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Deadline.Within(timedOut));
        Assert.False(batchToken.IsCancellationRequested);
        release.SetResult();

        Assert.Equal("r2", await Deadline.Within(other));
    }

    [Fact]
    public async Task Add_EveryItemOfARunningBatchCancelled_CancelsTheBatch()
    {
        var started = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        var collector = Collector(maxBatchSize: 2, async (items, token) =>
        {
            started.SetResult(token);
            await Task.Delay(Timeout.Infinite, token);
            return [];
        });
        using var cancel = new CancellationTokenSource();
        var first = collector.AddAsync("m", 1, cancel.Token);
        var second = collector.AddAsync("m", 2, cancel.Token);
        var batchToken = await Deadline.Within(started.Task);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Deadline.Within(first));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Deadline.Within(second));
        Assert.True(batchToken.IsCancellationRequested);
    }

    [Fact]
    public async Task Add_BatchFunctionThrows_EveryItemOfThatBatchFailsWithTheError()
    {
        var collector = Collector(maxBatchSize: 2, (_, _) => throw new InvalidOperationException("model crashed"));

        var first = collector.AddAsync("m", 1, CancellationToken.None);
        var second = collector.AddAsync("m", 2, CancellationToken.None);

        Assert.Equal("model crashed", (await Assert.ThrowsAsync<InvalidOperationException>(() => Deadline.Within(first))).Message);
        Assert.Equal("model crashed", (await Assert.ThrowsAsync<InvalidOperationException>(() => Deadline.Within(second))).Message);
    }

    [Fact]
    public async Task Add_BatchFunctionReturnsTooFewResults_FailsTheItemsSayingSo()
    {
        var collector = Collector(maxBatchSize: 2, (_, _) => Task.FromResult<IReadOnlyList<string>>(["only one"]));

        var first = collector.AddAsync("m", 1, CancellationToken.None);
        _ = collector.AddAsync("m", 2, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Deadline.Within(first));
        Assert.Contains("1 results for a batch of 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_WhileTheOnlyInstanceIsBusy_ArrivalsGatherAndRunAsOneBatchWhenItFrees()
    {
        var gate = new GatedBatches();
        var collector = Collector(maxBatchSize: 8, gate.Run);
        var first = collector.AddAsync("m", 1, CancellationToken.None);
        _clock.Advance(Delay);
        await Deadline.Within(gate.Started(1));

        var later = Enumerable.Range(2, 5).Select(i => collector.AddAsync("m", i, CancellationToken.None)).ToList();
        _clock.Advance(Delay * 10);
        Assert.Single(gate.Batches);

        gate.Release(0);
        await Deadline.Within(gate.Started(2));
        gate.Release(1);

        Assert.Equal(["r2", "r3", "r4", "r5", "r6"], await Deadline.Within(Task.WhenAll(later)));
        Assert.Equal("r1", await Deadline.Within(first));
        Assert.Equal(new[] { new[] { 1 }, [2, 3, 4, 5, 6] }, gate.Batches.ToArray());
    }

    [Fact]
    public async Task Add_TwoInstances_RunsTwoBatchesSideBySideAndTheThirdWaitsForOne()
    {
        var gate = new GatedBatches();
        var collector = Collector(maxBatchSize: 2, gate.Run, maxConcurrentBatches: 2);

        var all = Enumerable.Range(1, 6).Select(i => collector.AddAsync("m", i, CancellationToken.None)).ToList();
        await Deadline.Within(gate.Started(2));
        _clock.Advance(Delay * 10);
        Assert.Equal(2, gate.Batches.Count);

        gate.Release(1);
        await Deadline.Within(gate.Started(3));
        gate.Release(0);
        gate.Release(2);

        Assert.Equal(["r1", "r2", "r3", "r4", "r5", "r6"], await Deadline.Within(Task.WhenAll(all)));

        // The two side-by-side batches are formed in arrival order but may start in either order.
        var sideBySide = gate.Batches.Take(2).Select(b => string.Join(",", b)).Order(StringComparer.Ordinal);
        Assert.Equal(["1,2", "3,4"], sideBySide);
        Assert.Equal([5, 6], gate.Batches[2]);
    }

    [Fact]
    public async Task Add_InstanceFreesBeforeTheFirstWaiterWaitedMaxDelay_WaitsOutTheRestOfTheDelay()
    {
        var gate = new GatedBatches();
        var collector = Collector(maxBatchSize: 4, gate.Run);
        var first = collector.AddAsync("m", 1, CancellationToken.None);
        _clock.Advance(Delay);
        await Deadline.Within(gate.Started(1));
        var second = collector.AddAsync("m", 2, CancellationToken.None);

        _clock.Advance(Delay / 2);
        gate.Release(0);
        await Deadline.Within(first);
        await Deadline.Within(GatedBatches.Until(() => _clock.PendingTimers == 1));
        Assert.Single(gate.Batches);

        _clock.Advance(Delay / 2);
        await Deadline.Within(gate.Started(2));
        gate.Release(1);
        Assert.Equal("r2", await Deadline.Within(second));
    }

    [Fact]
    public async Task Statistics_CountBatchesAndItems()
    {
        var collector = Collector(maxBatchSize: 2);

        await Deadline.Within(Task.WhenAll(collector.AddAsync("m", 1, CancellationToken.None), collector.AddAsync("m", 2, CancellationToken.None)));
        var third = collector.AddAsync("m", 3, CancellationToken.None);
        _clock.Advance(Delay);
        await Deadline.Within(third);

        Assert.Equal(2, collector.BatchesRun);
        Assert.Equal(3, collector.ItemsRun);
    }

    /// <summary>A batch function whose batches run until the test releases them, one by one.</summary>
    private sealed class GatedBatches
    {
        private readonly Lock _gate = new();
        private readonly List<TaskCompletionSource> _releases = [];

        public List<int[]> Batches { get; } = [];

        public async Task<IReadOnlyList<string>> Run(IReadOnlyList<int> items, CancellationToken cancellationToken)
        {
            TaskCompletionSource release;
            lock (_gate)
            {
                Batches.Add([.. items]);
                release = Slot(Batches.Count - 1);
            }

            await release.Task;
            return [.. items.Select(i => $"r{i}")];
        }

        public void Release(int batch)
        {
            lock (_gate)
            {
                Slot(batch).TrySetResult();
            }
        }

        /// <summary>Completes once <paramref name="count"/> batches have started.</summary>
        public Task Started(int count) => Until(() =>
        {
            lock (_gate)
            {
                return Batches.Count >= count;
            }
        });

        private TaskCompletionSource Slot(int batch)
        {
            while (_releases.Count <= batch)
            {
                _releases.Add(new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            }

            return _releases[batch];
        }

        /// <summary>Polls <paramref name="condition"/> until it holds (callers bound the wait with <see cref="Deadline"/>).</summary>
        public static async Task Until(Func<bool> condition)
        {
            while (!condition())
            {
                await Task.Delay(1);
            }
        }
    }
}
