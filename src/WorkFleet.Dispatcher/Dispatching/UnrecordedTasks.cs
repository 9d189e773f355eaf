using System.Collections.Concurrent;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>
/// New tasks waiting in this dispatcher's line for a slot that are not stored yet (see
/// <see cref="Configuration.DispatcherOptions.RecordWaitingAfter"/>). Each is stored as Pending when its time is up, or
/// at once when something needs it stored: a cancel that finds no stored task asks here. Thread-safe.
/// </summary>
public sealed class UnrecordedTasks(TimeProvider clock)
{
    private readonly ConcurrentDictionary<Guid, Waiting> _waiting = new();

    /// <summary>
    /// Registers task <paramref name="taskId"/> as waiting unrecorded for at most <paramref name="window"/>; null when
    /// another copy of the same task already waits so (that copy is then stored first: the caller stores at once).
    /// Dispose the result when the task is stored or gone.
    /// </summary>
    public Waiting? Add(Guid taskId, TimeSpan window)
    {
        var waiting = new Waiting(this, taskId, window, clock);
        if (_waiting.TryAdd(taskId, waiting))
        {
            return waiting;
        }

        waiting.Dispose();
        return null;
    }

    /// <summary>
    /// When task <paramref name="taskId"/> waits here unrecorded, has it stored now and returns once it is (or once
    /// its dispatch ended without storing it); false when it does not wait here.
    /// </summary>
    public async Task<bool> RecordNowAsync(Guid taskId, CancellationToken cancellationToken)
    {
        if (!_waiting.TryGetValue(taskId, out var waiting))
        {
            return false;
        }

        waiting.RecordNow();
        await waiting.Recorded.WaitAsync(cancellationToken);
        return true;
    }

    /// <summary>One unrecorded waiting task.</summary>
    public sealed class Waiting : IDisposable
    {
        private readonly UnrecordedTasks _owner;
        private readonly Guid _taskId;
        private readonly CancellationTokenSource _due;
        private readonly TaskCompletionSource _recorded = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock _gate = new();
        private bool _disposed;

        internal Waiting(UnrecordedTasks owner, Guid taskId, TimeSpan window, TimeProvider clock)
        {
            _owner = owner;
            _taskId = taskId;
            _due = new CancellationTokenSource(window, clock);
        }

        /// <summary>Cancelled when the task must be stored: its window is over, or <see cref="RecordNow"/> was called.</summary>
        public CancellationToken RecordDue => _due.Token;

        /// <summary>Completes once the task is stored, or its dispatch ended.</summary>
        public Task Recorded => _recorded.Task;

        /// <summary>Asks for the task to be stored now.</summary>
        public void RecordNow()
        {
            lock (_gate)
            {
                if (!_disposed)
                {
                    _due.Cancel();
                }
            }
        }

        /// <summary>Says the task is stored.</summary>
        public void MarkRecorded() => _recorded.TrySetResult();

        /// <summary>Unregisters the task and releases whoever waits for its record.</summary>
        public void Dispose()
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                _disposed = true;
                _due.Dispose();
            }

            _owner._waiting.TryRemove(KeyValuePair.Create(_taskId, this));
            _recorded.TrySetResult();
        }
    }
}
