using Microsoft.Extensions.Logging;
using WorkFleet.Contracts;
using WorkFleet.Dashboard.Configuration;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dashboard.Api;

/// <summary>
/// Hands each outcome this dispatcher records (<see cref="ITaskOutcomeObserver"/>, called by its <c>TaskFinisher</c>)
/// to the requests waiting for that task and to every event-stream subscriber, without waiting for any of them: a
/// subscriber whose buffer is full is dropped, with a log line. Outcomes recorded by other dispatchers come from the
/// store (<see cref="OutcomeWaiter"/> for waits, <see cref="PeerOutcomePoller"/> for streams); an outcome reaches a
/// stream once whichever way comes first (among the last <see cref="RecentCapacity"/> outcomes).
/// </summary>
public sealed partial class TaskOutcomeHub(HttpApiOptions options, ILogger<TaskOutcomeHub> logger) : ITaskOutcomeObserver
{
    /// <summary>How many streamed task ids are remembered to skip the same outcome coming from the store.</summary>
    public const int RecentCapacity = 65_536;

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, (TaskCompletionSource<TaskFinished> Outcome, int Watchers)> _watches = [];
    private readonly RecentTaskIds _streamed = new(RecentCapacity);
    private OutcomeSubscription[] _streams = [];

    /// <summary>True while any event stream is subscribed.</summary>
    public bool HasSubscribers => Volatile.Read(ref _streams).Length > 0;

    /// <summary>Starts watching <paramref name="taskId"/>; dispose the watch when done.</summary>
    public OutcomeWatch Watch(Guid taskId)
    {
        lock (_gate)
        {
            var watch = _watches.TryGetValue(taskId, out var existing)
                ? existing
                : (Outcome: new TaskCompletionSource<TaskFinished>(TaskCreationOptions.RunContinuationsAsynchronously), Watchers: 0);
            _watches[taskId] = (watch.Outcome, watch.Watchers + 1);
            return new OutcomeWatch(watch.Outcome.Task, () => Release(taskId, watch.Outcome));
        }
    }

    /// <summary>Subscribes an event stream for <paramref name="subscriber"/>; dispose the subscription when it ends.</summary>
    public OutcomeSubscription Subscribe(string subscriber)
    {
        var subscription = new OutcomeSubscription(subscriber, options.EventBufferSize, Unsubscribe);
        lock (_gate)
        {
            _streams = [.. _streams, subscription];
        }

        return subscription;
    }

    /// <inheritdoc />
    public void Recorded(TaskFinished outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        TaskCompletionSource<TaskFinished>? waiting = null;
        lock (_gate)
        {
            if (_watches.Remove(outcome.TaskId, out var watch))
            {
                waiting = watch.Outcome;
            }
        }

        waiting?.TrySetResult(outcome);
        Stream(outcome);
    }

    /// <summary>Sends <paramref name="outcome"/>, read from the store, to the streams, unless they already carried it.</summary>
    public void Stream(TaskFinished outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (!HasSubscribers)
        {
            return;
        }

        List<OutcomeSubscription>? dropped = null;
        lock (_gate)
        {
            if (!_streamed.Add(outcome.TaskId))
            {
                return;
            }

            foreach (var stream in _streams)
            {
                if (!stream.Offer(outcome))
                {
                    (dropped ??= []).Add(stream);
                }
            }

            if (dropped is not null)
            {
                _streams = [.. _streams.Except(dropped)];
            }
        }

        foreach (var stream in dropped ?? [])
        {
            LogDropped(stream.Subscriber, stream.Capacity);
        }
    }

    private void Release(Guid taskId, TaskCompletionSource<TaskFinished> outcome)
    {
        lock (_gate)
        {
            if (_watches.TryGetValue(taskId, out var watch) && watch.Outcome == outcome)
            {
                if (watch.Watchers <= 1)
                {
                    _watches.Remove(taskId);
                }
                else
                {
                    _watches[taskId] = (outcome, watch.Watchers - 1);
                }
            }
        }
    }

    private void Unsubscribe(OutcomeSubscription subscription)
    {
        lock (_gate)
        {
            _streams = [.. _streams.Where(s => s != subscription)];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task event stream of {Subscriber} dropped: it fell {Capacity} outcomes behind (WorkFleet:Dashboard:Api:EventBufferSize); it may reconnect")]
    private partial void LogDropped(string subscriber, int capacity);
}
