namespace WorkFleet.Worker.Batching;

/// <summary>
/// Dynamic batching, as Triton's scheduler does it: items added concurrently under the same key wait in a
/// line; a batch of up to <see cref="MaxBatchSize"/> of them runs with one call of the batch function when
/// fewer than <see cref="MaxConcurrentBatches"/> batches of that key are running (a free "model instance")
/// and either a full batch waits or the first in line has waited <see cref="MaxDelay"/>. Each caller gets its
/// own item's result.
/// </summary>
/// <remarks>
/// <para>
/// Bounding the batches in flight is what makes batches form under load: while the instances are busy,
/// arrivals gather, and the next batch takes them all at once. Without the bound every few milliseconds of
/// arrivals would start a batch of their own beside the others, and batches would stay small exactly when
/// batching matters.
/// </para>
/// <para>
/// Each item keeps its own cancellation: a caller whose token fires (a timeout, a cancel request) stops
/// waiting at once and its item is left out of a batch that has not started yet, while the other items of
/// the batch carry on. The batch function's token is cancelled only when every item of the batch is.
/// A batch function that throws fails every item of that batch with the same exception.
/// </para>
/// </remarks>
/// <typeparam name="TItem">What one caller contributes.</typeparam>
/// <typeparam name="TResult">What one caller gets back.</typeparam>
public sealed class BatchCollector<TItem, TResult>
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, KeyLine> _lines = new(StringComparer.Ordinal);
    private readonly Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> _execute;
    private readonly TimeProvider _clock;
    private long _batches;
    private long _items;

    /// <summary>Creates a collector.</summary>
    /// <param name="maxBatchSize">Most items per batch (at least 1).</param>
    /// <param name="maxDelay">Longest wait of a batch's first item for more items while an instance is free (not negative).</param>
    /// <param name="maxConcurrentBatches">Most batches of one key running at once (at least 1).</param>
    /// <param name="execute">Runs a batch: one result per item, in the same order.</param>
    /// <param name="clock">Time source of the delay timers.</param>
    public BatchCollector(
        int maxBatchSize,
        TimeSpan maxDelay,
        int maxConcurrentBatches,
        Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> execute,
        TimeProvider clock)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentBatches, 1);
        ArgumentNullException.ThrowIfNull(execute);
        ArgumentNullException.ThrowIfNull(clock);
        MaxBatchSize = maxBatchSize;
        MaxDelay = maxDelay;
        MaxConcurrentBatches = maxConcurrentBatches;
        _execute = execute;
        _clock = clock;
    }

    /// <summary>Most items per batch.</summary>
    public int MaxBatchSize { get; }

    /// <summary>Longest wait of a batch's first item.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>Most batches of one key running at once.</summary>
    public int MaxConcurrentBatches { get; }

    /// <summary>Batches run so far (each with at least one item).</summary>
    public long BatchesRun => Interlocked.Read(ref _batches);

    /// <summary>Items run so far, in all batches.</summary>
    public long ItemsRun => Interlocked.Read(ref _items);

    /// <summary>Adds an item to the line of <paramref name="key"/> and waits for its result.</summary>
    /// <param name="key">Only items with equal keys (ordinal) run together.</param>
    /// <param name="item">The item.</param>
    /// <param name="cancellationToken">Stops this caller's wait, and leaves the item out if its batch has not started.</param>
    /// <returns>The item's result.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    public Task<TResult> AddAsync(string key, TItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        var entry = new Entry(item, _clock.GetTimestamp(), cancellationToken);
        List<List<Entry>> ready;
        lock (_gate)
        {
            if (!_lines.TryGetValue(key, out KeyLine? line))
            {
                line = new KeyLine(key);
                _lines.Add(key, line);
            }

            line.Waiting.Enqueue(entry);
            ready = TakeReadyBatches(line);
        }

        StartAll(key, ready);
        return entry.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Under the gate: the batches that may start now, counted as running; arms the delay timer when items
    /// wait for more company while an instance is free.
    /// </summary>
    private List<List<Entry>> TakeReadyBatches(KeyLine line)
    {
        List<List<Entry>> ready = [];
        while (line.Running < MaxConcurrentBatches)
        {
            DropCancelledAtHead(line.Waiting);
            if (line.Waiting.Count == 0)
            {
                break;
            }

            TimeSpan waited = _clock.GetElapsedTime(line.Waiting.Peek().EnqueuedAt);
            if (line.Waiting.Count < MaxBatchSize && waited < MaxDelay)
            {
                ArmTimer(line, MaxDelay - waited);
                break;
            }

            var batch = new List<Entry>(Math.Min(MaxBatchSize, line.Waiting.Count));
            while (batch.Count < MaxBatchSize && line.Waiting.TryDequeue(out Entry? next))
            {
                if (!next.Cancellation.IsCancellationRequested)
                {
                    batch.Add(next);
                }
                else
                {
                    next.Completion.TrySetCanceled(next.Cancellation);
                }
            }

            if (batch.Count > 0)
            {
                line.Running++;
                ready.Add(batch);
            }
        }

        if (line.Waiting.Count == 0 || line.Running >= MaxConcurrentBatches)
        {
            DisarmTimer(line);
        }

        if (line.Waiting.Count == 0 && line.Running == 0)
        {
            _lines.Remove(line.Key);
        }

        return ready;
    }

    private static void DropCancelledAtHead(Queue<Entry> waiting)
    {
        while (waiting.TryPeek(out Entry? head) && head.Cancellation.IsCancellationRequested)
        {
            waiting.Dequeue().Completion.TrySetCanceled(head.Cancellation);
        }
    }

    private void ArmTimer(KeyLine line, TimeSpan dueIn)
    {
        if (line.Timer is null)
        {
            // The callback takes the gate before it reads anything, so it sees Timer assigned.
            line.Timer = _clock.CreateTimer(static state => ((Flush)state!).Run(), new Flush(this, line), dueIn, Timeout.InfiniteTimeSpan);
        }
    }

    private static void DisarmTimer(KeyLine line)
    {
        line.Timer?.Dispose();
        line.Timer = null;
    }

    private void OnDelayElapsed(KeyLine line)
    {
        List<List<Entry>> ready;
        lock (_gate)
        {
            DisarmTimer(line);
            if (!_lines.TryGetValue(line.Key, out KeyLine? current) || !ReferenceEquals(current, line))
            {
                return;
            }

            ready = TakeReadyBatches(line);
        }

        StartAll(line.Key, ready);
    }

    private void OnBatchFinished(string key)
    {
        List<List<Entry>> ready;
        lock (_gate)
        {
            KeyLine line = _lines[key];
            line.Running--;
            ready = TakeReadyBatches(line);
        }

        StartAll(key, ready);
    }

    private void StartAll(string key, List<List<Entry>> ready)
    {
        // Off the caller's thread: the caller that filled the batch (or the timer, or the batch before) must not run it inline.
        foreach (List<Entry> batch in ready)
        {
            _ = Task.Run(() => RunAsync(key, batch));
        }
    }

    private async Task RunAsync(string key, List<Entry> batch)
    {
        try
        {
            await RunBatchAsync(batch);
        }
        finally
        {
            OnBatchFinished(key);
        }
    }

    private async Task RunBatchAsync(List<Entry> batch)
    {
        List<Entry> live = batch.FindAll(entry => !entry.Cancellation.IsCancellationRequested);
        batch.Where(entry => entry.Cancellation.IsCancellationRequested).ToList().ForEach(entry => entry.Completion.TrySetCanceled(entry.Cancellation));
        if (live.Count == 0)
        {
            return;
        }

        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _items, live.Count);
        using var allCancelled = new CancellationTokenSource();
        int waiting = live.Count;
        var registrations = new List<CancellationTokenRegistration>(live.Count);
        try
        {
            foreach (Entry entry in live)
            {
                registrations.Add(entry.Cancellation.Register(() =>
                {
                    if (Interlocked.Decrement(ref waiting) == 0)
                    {
                        allCancelled.Cancel();
                    }
                }));
            }

            IReadOnlyList<TResult> results = await _execute([.. live.Select(entry => entry.Item)], allCancelled.Token);
            if (results.Count != live.Count)
            {
                throw new InvalidOperationException($"The batch function returned {results.Count} results for a batch of {live.Count}; it must return one per item.");
            }

            for (int i = 0; i < live.Count; i++)
            {
                live[i].Completion.TrySetResult(results[i]);
            }
        }
        catch (OperationCanceledException) when (allCancelled.IsCancellationRequested)
        {
            live.ForEach(entry => entry.Completion.TrySetCanceled(entry.Cancellation));
        }
        catch (Exception ex)
        {
            live.ForEach(entry => entry.Completion.TrySetException(ex));
        }
        finally
        {
            // Before allCancelled is disposed: a registration's callback must not run on a disposed source.
            registrations.ForEach(registration => registration.Dispose());
        }
    }

    private sealed class Entry(TItem item, long enqueuedAt, CancellationToken cancellation)
    {
        public TItem Item { get; } = item;

        public CancellationToken Cancellation { get; } = cancellation;

        /// <summary>When the item joined the line (<see cref="TimeProvider.GetTimestamp"/>).</summary>
        public long EnqueuedAt { get; } = enqueuedAt;

        public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The items of one key waiting for a batch, and how many of its batches run.</summary>
    private sealed class KeyLine(string key)
    {
        public string Key { get; } = key;

        public Queue<Entry> Waiting { get; } = new();

        public int Running { get; set; }

        public ITimer? Timer { get; set; }
    }

    private sealed class Flush(BatchCollector<TItem, TResult> collector, KeyLine line)
    {
        public void Run() => collector.OnDelayElapsed(line);
    }
}
