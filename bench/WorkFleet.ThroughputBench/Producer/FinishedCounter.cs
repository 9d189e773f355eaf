using System.Collections.Concurrent;
using System.Diagnostics;

namespace WorkFleet.ThroughputBench.Producer;

/// <summary>Counts the first <c>TaskFinished</c> of each expected task and notes when the first and last arrived.</summary>
public sealed class FinishedCounter
{
    private readonly ConcurrentDictionary<Guid, bool> _pending;
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _finished;
    private long _firstTimestamp;
    private long _lastTimestamp;

    /// <summary>Expects the outcomes of <paramref name="taskIds"/>.</summary>
    public FinishedCounter(IEnumerable<Guid> taskIds)
    {
        _pending = new ConcurrentDictionary<Guid, bool>(taskIds.Select(id => KeyValuePair.Create(id, true)));
        Expected = _pending.Count;
    }

    /// <summary>How many outcomes are expected.</summary>
    public int Expected { get; }

    /// <summary>How many distinct expected tasks have finished.</summary>
    public int Finished => Volatile.Read(ref _finished);

    /// <summary>Completes when every expected task has finished.</summary>
    public Task AllFinished => _all.Task;

    /// <summary>Stopwatch timestamp of the first outcome.</summary>
    public long FirstTimestamp => Interlocked.Read(ref _firstTimestamp);

    /// <summary>Stopwatch timestamp of the last outcome.</summary>
    public long LastTimestamp => Interlocked.Read(ref _lastTimestamp);

    /// <summary>Records an outcome; duplicates and other runs' tasks are ignored.</summary>
    public void Post(Guid taskId)
    {
        if (!_pending.TryRemove(taskId, out _))
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        Interlocked.CompareExchange(ref _firstTimestamp, now, 0);
        Interlocked.Exchange(ref _lastTimestamp, now);
        if (Interlocked.Increment(ref _finished) == Expected)
        {
            _all.TrySetResult();
        }
    }
}
