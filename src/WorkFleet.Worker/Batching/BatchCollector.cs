namespace WorkFleet.Worker.Batching;

/// <summary>
/// Dynamic batching, as Triton's scheduler does it: items added concurrently under the same key are gathered
/// until <see cref="MaxBatchSize"/> of them wait or the first has waited <see cref="MaxDelay"/>, then run
/// with one call of the batch function, and each caller gets its own item's result.
/// </summary>
/// <remarks>
/// Each item keeps its own cancellation: a caller whose token fires (a timeout, a cancel request) stops
/// waiting at once and its item is left out of a batch that has not started yet, while the other items of
/// the batch carry on. The batch function's token is cancelled only when every item of the batch is.
/// A batch function that throws fails every item of that batch with the same exception.
/// </remarks>
/// <typeparam name="TItem">What one caller contributes.</typeparam>
/// <typeparam name="TResult">What one caller gets back.</typeparam>
public sealed class BatchCollector<TItem, TResult>
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, PendingBatch> _pending = new(StringComparer.Ordinal);
    private readonly Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> _execute;
    private readonly TimeProvider _clock;
    private long _batches;
    private long _items;

    /// <summary>Creates a collector.</summary>
    /// <param name="maxBatchSize">Most items per batch (at least 1).</param>
    /// <param name="maxDelay">Longest wait of a batch's first item before the batch runs (not negative).</param>
    /// <param name="execute">Runs a batch: one result per item, in the same order.</param>
    /// <param name="clock">Time source of the delay timers.</param>
    public BatchCollector(
        int maxBatchSize,
        TimeSpan maxDelay,
        Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> execute,
        TimeProvider clock)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(execute);
        ArgumentNullException.ThrowIfNull(clock);
        MaxBatchSize = maxBatchSize;
        MaxDelay = maxDelay;
        _execute = execute;
        _clock = clock;
    }

    /// <summary>Most items per batch.</summary>
    public int MaxBatchSize { get; }

    /// <summary>Longest wait of a batch's first item.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>Batches run so far (each with at least one item).</summary>
    public long BatchesRun => Interlocked.Read(ref _batches);

    /// <summary>Items run so far, in all batches.</summary>
    public long ItemsRun => Interlocked.Read(ref _items);

    /// <summary>Adds an item to the batch gathering under <paramref name="key"/> and waits for its result.</summary>
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

        var entry = new Entry(item, cancellationToken);
        PendingBatch? full = null;
        lock (_gate)
        {
            if (!_pending.TryGetValue(key, out PendingBatch? batch))
            {
                batch = new PendingBatch(key);
                _pending.Add(key, batch);
                if (MaxBatchSize > 1)
                {
                    // The callback takes the gate before it reads anything, so it sees Timer assigned.
                    batch.Timer = _clock.CreateTimer(static state => ((Flush)state!).Run(), new Flush(this, batch), MaxDelay, Timeout.InfiniteTimeSpan);
                }
            }

            batch.Entries.Add(entry);
            if (batch.Entries.Count >= MaxBatchSize)
            {
                _pending.Remove(key);
                full = batch;
            }
        }

        if (full is not null)
        {
            Start(full);
        }

        return entry.Completion.Task.WaitAsync(cancellationToken);
    }

    private void OnDelayElapsed(PendingBatch batch)
    {
        lock (_gate)
        {
            if (!_pending.TryGetValue(batch.Key, out PendingBatch? current) || !ReferenceEquals(current, batch))
            {
                return; // It filled up and started meanwhile.
            }

            _pending.Remove(batch.Key);
        }

        Start(batch);
    }

    private void Start(PendingBatch batch)
    {
        batch.Timer?.Dispose();

        // Off the caller's thread: the caller that filled the batch (or the timer) must not run it inline.
        _ = Task.Run(() => RunAsync(batch));
    }

    private async Task RunAsync(PendingBatch batch)
    {
        List<Entry> live = [];
        foreach (Entry entry in batch.Entries)
        {
            if (entry.Cancellation.IsCancellationRequested)
            {
                entry.Completion.TrySetCanceled(entry.Cancellation);
            }
            else
            {
                live.Add(entry);
            }
        }

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

    private sealed class Entry(TItem item, CancellationToken cancellation)
    {
        public TItem Item { get; } = item;

        public CancellationToken Cancellation { get; } = cancellation;

        public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class PendingBatch(string key)
    {
        public string Key { get; } = key;

        public List<Entry> Entries { get; } = [];

        public ITimer? Timer { get; set; }
    }

    private sealed class Flush(BatchCollector<TItem, TResult> collector, PendingBatch batch)
    {
        public void Run() => collector.OnDelayElapsed(batch);
    }
}
