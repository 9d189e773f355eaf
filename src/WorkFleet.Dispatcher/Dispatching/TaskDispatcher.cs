using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkFleet.Balancing;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Observability;
using WorkFleet.Dispatcher.Persistence;
using WorkFleet.Messaging;
using WorkFleet.Messaging.Configuration;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>
/// Dispatches one Pending task as its next attempt: wait for a slot, record the attempt, send it to the
/// chosen worker's queue. Used for first attempts (from the submit queue) and for retries and rescues
/// (from the store), so both follow exactly the same rules. A new task that gets its slot within
/// <see cref="DispatcherOptions.RecordWaitingAfter"/> is stored only then, already dispatched, in one write.
/// </summary>
public sealed class TaskDispatcher(
    SlotAllocator slots,
    TaskStore tasks,
    TaskFinisher finisher,
    PeerDispatchers peers,
    UnrecordedTasks unrecorded,
    WorkerSends workerSends,
    DispatcherMetrics metrics,
    TimeProvider clock,
    IOptions<DispatcherOptions> options,
    TransportOptions transport,
    ILogger<TaskDispatcher> logger)
{
    /// <summary>
    /// Stores and dispatches a new, valid task (Pending at attempt 0, not stored yet) as attempt 1. It waits for its
    /// slot unrecorded for up to <see cref="DispatcherOptions.RecordWaitingAfter"/>, then stores itself as Pending and
    /// waits on. Returns null when this call took care of the task; otherwise the task as already stored (the submit
    /// repeats a known id), for the caller to handle as any repeated submit.
    /// </summary>
    public async Task<TaskRecord?> DispatchNewAsync<TEndpoint>(TaskRecord task, JsonElement payload, TEndpoint endpoints, CancellationToken cancellationToken)
        where TEndpoint : ISendEndpointProvider, IPublishEndpoint
    {
        ArgumentNullException.ThrowIfNull(task);
        var key = new AssignmentKey(task.Id, 1);
        var waitStarted = clock.GetTimestamp();
        var acquiring = slots.AcquireAsync(new TaskRequirements(task.JobType, task.RequiredCapabilities), key, task.Priority, task.ExpectedCostMs, task.Payload.Length, cancellationToken);
        var window = options.Value.RecordWaitingAfter;
        using var waiting = acquiring.IsCompleted || window <= TimeSpan.Zero ? null : unrecorded.Add(task.Id, window);
        var stored = false;
        if (!acquiring.IsCompleted && !await GrantedWithinAsync(acquiring, waiting))
        {
            TaskRecord? known;
            try
            {
                known = await StoreUnlessKnownAsync(task, cancellationToken);
            }
            catch
            {
                // The store failed (the delivery is retried) or the delivery was lost: the line must not keep the task.
                GiveUp(acquiring, key);
                throw;
            }

            if (known is not null)
            {
                GiveUp(acquiring, key);
                return known;
            }

            waiting?.MarkRecorded();
            stored = true;
        }

        var selection = await acquiring;
        var waited = clock.GetElapsedTime(waitStarted);
        if (selection.Outcome != SelectionOutcome.Selected)
        {
            if (!stored && await StoreUnlessKnownAsync(task, cancellationToken) is { } known)
            {
                return known;
            }

            await FailUnroutableAsync(task, endpoints, cancellationToken);
            return null;
        }

        return await RecordAndSendAsync(task, key, selection.WorkerId!, stored, payload, waited, endpoints, cancellationToken);
    }

    /// <summary>Dispatches <paramref name="task"/> (Pending, at attempt n) as attempt n + 1.</summary>
    public async Task DispatchAsync<TEndpoint>(TaskRecord task, JsonElement payload, TEndpoint endpoints, CancellationToken cancellationToken)
        where TEndpoint : ISendEndpointProvider, IPublishEndpoint
    {
        ArgumentNullException.ThrowIfNull(task);
        var key = new AssignmentKey(task.Id, task.Attempt + 1);
        var requirements = new TaskRequirements(task.JobType, task.RequiredCapabilities);
        var waitStarted = clock.GetTimestamp();
        var selection = await slots.AcquireAsync(requirements, key, task.Priority, task.ExpectedCostMs, task.Payload.Length, cancellationToken);
        var waited = clock.GetElapsedTime(waitStarted);
        if (selection.Outcome != SelectionOutcome.Selected)
        {
            await FailUnroutableAsync(task, endpoints, cancellationToken);
            return;
        }

        await RecordAndSendAsync(task, key, selection.WorkerId!, stored: true, payload, waited, endpoints, cancellationToken);
    }

    /// <summary>
    /// True when the slot came before the task had to be stored (<paramref name="waiting"/> due); false when it must be
    /// stored first. Without a window (zero, or another copy of the task waits unrecorded) it must be stored at once.
    /// </summary>
    private static async Task<bool> GrantedWithinAsync(Task<Selection> acquiring, UnrecordedTasks.Waiting? waiting)
    {
        if (waiting is null)
        {
            return false;
        }

        try
        {
            await acquiring.WaitAsync(waiting.RecordDue);
        }
        catch (OperationCanceledException) when (waiting.RecordDue.IsCancellationRequested)
        {
            // Due: store it, unless the slot came in the same instant.
        }

        return acquiring.IsCompletedSuccessfully;
    }

    /// <summary>
    /// Stores <paramref name="task"/> as it is. Null when this call stored it; otherwise the task already stored
    /// under its id (the submit repeats a known id), which the store answers with instead of the instance given.
    /// </summary>
    private async Task<TaskRecord?> StoreUnlessKnownAsync(TaskRecord task, CancellationToken cancellationToken)
    {
        var stored = await tasks.RecordSubmittedAsync(task, cancellationToken);
        return ReferenceEquals(stored, task) ? null : stored;
    }

    /// <summary>
    /// Leaves the line for a task this call will not dispatch; a slot granted meanwhile is given back. A task no longer
    /// in the line has had its acquisition completed (granted or cancelled) under the allocator's lock.
    /// </summary>
    private void GiveUp(Task<Selection> acquiring, AssignmentKey key)
    {
        if (!slots.Withdraw(key) && acquiring.IsCompletedSuccessfully && acquiring.Result is { Outcome: SelectionOutcome.Selected, WorkerId: { } workerId })
        {
            slots.Release(workerId, key);
        }
    }

    /// <summary>
    /// Records attempt <paramref name="key"/> on the worker whose slot it holds and sends it there. A task already
    /// stored (Pending) gets the attempt recorded; one not stored yet is stored with it in one write. Returns the
    /// stored task when that write found the id taken, else null.
    /// </summary>
    private async Task<TaskRecord?> RecordAndSendAsync<TEndpoint>(TaskRecord task, AssignmentKey key, string workerId, bool stored, JsonElement payload, TimeSpan waited, TEndpoint endpoints, CancellationToken cancellationToken)
        where TEndpoint : ISendEndpointProvider, IPublishEndpoint
    {
        var sent = false;
        try
        {
            var now = clock.GetUtcNow();
            if (stored && !await tasks.RecordDispatchAsync(task.Id, key.Attempt, workerId, now.UtcDateTime, cancellationToken))
            {
                logger.LogInformation("Task {TaskId} attempt {Attempt} was dispatched concurrently elsewhere; this copy stands down", task.Id, key.Attempt);
                return null;
            }

            if (!stored)
            {
                (task.Status, task.Attempt, task.WorkerId, task.DispatchedAt) = (TaskState.Dispatched, key.Attempt, workerId, now.UtcDateTime);
                if (await StoreUnlessKnownAsync(task, cancellationToken) is { } known)
                {
                    return known;
                }
            }

            try
            {
                await SendAsync(endpoints, task, key.Attempt, workerId, payload, now, cancellationToken);
                sent = true;
                metrics.AttemptDispatched(waited);
            }
            catch (Exception ex)
            {
                // Recorded but not sent: nothing would ever end this attempt (a redelivered submit resends it, but
                // a retry or rescue comes from the store and has no message to redeliver). Give it back to the store.
                await ReturnUnsentAsync(task.Id, key.Attempt, workerId, ex);
                throw;
            }
        }
        finally
        {
            if (!sent)
            {
                slots.Release(workerId, key);
            }
        }

        await AnnounceAsync(endpoints, key, workerId, cancellationToken);
        return null;
    }

    /// <summary>
    /// Sends the current attempt of a task recorded as dispatched again: the previous run may have stopped
    /// between recording and sending. Safe because results are fenced by attempt.
    /// </summary>
    public async Task ResendAsync(TaskRecord task, ISendEndpointProvider endpoints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var key = new AssignmentKey(task.Id, task.Attempt);
        logger.LogInformation("Task {TaskId} redelivered while attempt {Attempt} is open on {WorkerId}; re-sending it", task.Id, task.Attempt, task.WorkerId);
        slots.Restore(task.WorkerId!, key);
        using var payload = JsonDocument.Parse(task.Payload);
        await SendAsync(endpoints, task, task.Attempt, task.WorkerId!, payload.RootElement.Clone(), clock.GetUtcNow(), cancellationToken);
    }

    private async Task ReturnUnsentAsync(Guid taskId, int attempt, string workerId, Exception error)
    {
        try
        {
            if (await tasks.ReturnUnsentAsync(taskId, attempt, $"not sent to {workerId}: {error.Message}", clock.GetUtcNow().UtcDateTime, CancellationToken.None))
            {
                logger.LogWarning("Task {TaskId} attempt {Attempt} could not be sent to {WorkerId} ({Error}); it is due again", taskId, attempt, workerId, error.Message);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError("Task {TaskId} attempt {Attempt} was recorded but neither sent nor given back ({Error}); it stays Dispatched until a redelivered submit resends it or its worker is declared lost", taskId, attempt, ex.Message);
        }
    }

    private async Task FailUnroutableAsync(TaskRecord task, ISendEndpointProvider sender, CancellationToken cancellationToken)
    {
        var supported = string.Join(", ", slots.Snapshot().Where(w => w.IsAlive).SelectMany(w => w.Snapshot.JobTypes).Distinct().Order(StringComparer.Ordinal));
        var capabilities = task.RequiredCapabilities.Count == 0 ? "" : $" with capabilities [{string.Join(", ", task.RequiredCapabilities)}]";
        var error = $"No live worker can run job type '{task.JobType}'{capabilities}; live workers run: {(supported.Length == 0 ? "nothing" : supported)}.";
        await finisher.FailWaitingAsync(sender, task, error, ErrorKinds.NoCapableWorker, cancellationToken);
    }

    /// <summary>
    /// Tells the other dispatchers, if any, the slot is taken, unless the end broadcast of its previous holder
    /// already did (a handover); a lost announcement only makes their view staler.
    /// </summary>
    private async Task AnnounceAsync(IPublishEndpoint publisher, AssignmentKey key, string workerId, CancellationToken cancellationToken)
    {
        if (slots.TakeHandover(key) || !peers.Any)
        {
            return;
        }

        try
        {
            var announcement = slots.Announcement(workerId, key, options.Value.DispatcherId);
            await BrokerConfirmation.WithinAsync(transport.RabbitMq.ConfirmTimeout, token => publisher.Publish(announcement, token), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not announce attempt {Attempt} of task {TaskId} on {WorkerId} to the other dispatchers", key.Attempt, key.TaskId, workerId);
        }
    }

    private async Task SendAsync(ISendEndpointProvider endpoints, TaskRecord task, int attempt, string workerId, JsonElement payload, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var span = TaskTraces.StartDispatch(task, attempt, workerId);
        await workerSends.SendAsync(
            new ExecuteTask
            {
                TaskId = task.Id,
                Attempt = attempt,
                WorkerId = workerId,
                JobType = task.JobType,
                Payload = payload,
                Timeout = task.TimeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
                DispatchedAt = now,
                TraceParent = span?.Id,
            },
            endpoints,
            cancellationToken);
    }
}
