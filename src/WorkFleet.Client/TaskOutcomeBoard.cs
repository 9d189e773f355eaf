using System.Collections.Concurrent;
using WorkFleet.Contracts;

namespace WorkFleet.Client;

/// <summary>Matches arriving <see cref="TaskFinished"/> events with waiting callers, in either order.</summary>
public sealed class TaskOutcomeBoard(int remembered)
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<TaskFinished>> _entries = new();
    private readonly ConcurrentQueue<Guid> _finishedOrder = new();

    /// <summary>Raised for every outcome the first time it arrives.</summary>
    public event Action<TaskFinished>? Finished;

    /// <summary>Records an outcome (duplicates are ignored).</summary>
    public void Post(TaskFinished finished)
    {
        ArgumentNullException.ThrowIfNull(finished);
        var entry = _entries.GetOrAdd(finished.TaskId, _ => NewEntry());
        if (entry.TrySetResult(finished))
        {
            Finished?.Invoke(finished);
            _finishedOrder.Enqueue(finished.TaskId);
            while (_finishedOrder.Count > remembered && _finishedOrder.TryDequeue(out var old))
            {
                _entries.TryRemove(old, out _);
            }
        }
    }

    /// <summary>Waits for the outcome of a task.</summary>
    public Task<TaskFinished> WaitAsync(Guid taskId, CancellationToken cancellationToken) =>
        _entries.GetOrAdd(taskId, _ => NewEntry()).Task.WaitAsync(cancellationToken);

    private static TaskCompletionSource<TaskFinished> NewEntry() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
