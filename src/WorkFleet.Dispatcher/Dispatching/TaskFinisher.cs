using MassTransit;
using Microsoft.Extensions.Logging;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;
using WorkFleet.Dispatcher.Observability;
using WorkFleet.Dispatcher.Persistence;
using WorkFleet.Messaging;
using WorkFleet.Messaging.Configuration;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>
/// The one way a task's outcome leaves the dispatcher: once the outcome is stored, it is counted, failures are
/// logged, and <see cref="TaskFinished"/> is sent to the reply queue of the producer that submitted the task (see
/// <see cref="OutcomeReplies"/>), never published to everyone; a task without one has its outcome only in the store.
/// Producers see an outcome at least once (a redelivered result sends the stored one again) and ignore repeats. A
/// reply queue that accepts batches (<see cref="OutcomeBatchQueues"/>) gets its outcomes through its
/// <see cref="OutcomeBatcher"/>: several at once in a <see cref="TaskFinishedBatch"/> while a send to it is in flight.
/// </summary>
public sealed class TaskFinisher(
    TaskStore tasks, OutcomeReplies replies, OutcomeBatchQueues batchQueues, DispatcherMetrics metrics, TaskRates rates, TimeProvider clock, ILogger<TaskFinisher> logger, IEnumerable<ITaskOutcomeObserver> observers, TransportOptions transport)
{
    /// <summary>
    /// Fails a task no worker holds (waiting for a slot or for its next attempt) and announces it; false when the
    /// task was not waiting any more (running, decided or unknown), in which case nothing changed.
    /// </summary>
    public async Task<bool> FailWaitingAsync(ISendEndpointProvider sender, TaskRecord task, string error, string errorKind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(task);
        var now = clock.GetUtcNow();
        if (!await tasks.FailPendingAsync(task.Id, error, errorKind, now.UtcDateTime, cancellationToken))
        {
            return false;
        }

        await AnnounceAsync(sender, TaskFinishedFactory.Failed(task.Id, task.Attempt, null, error, errorKind, now), RouteOf(task), cancellationToken);
        return true;
    }

    /// <summary>Counts, logs and sends to its producer an outcome the caller has just stored for <paramref name="task"/>.</summary>
    public Task AnnounceAsync(ISendEndpointProvider sender, TaskFinished outcome, TaskRecord task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        return AnnounceAsync(sender, outcome, RouteOf(task), cancellationToken);
    }

    /// <summary>As the other overload, for a task whose reply route the result's write returned (<see cref="RecordedResult"/>).</summary>
    public Task AnnounceAsync(ISendEndpointProvider sender, TaskFinished outcome, RecordedResult recorded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        return AnnounceAsync(sender, outcome, recorded.Route, cancellationToken);
    }

    /// <summary>
    /// Sends again the stored outcome of a task that attempt <paramref name="attempt"/> decided: a result that
    /// changed nothing may be the redelivery of the one that decided it, whose outcome was never sent (a dispatcher
    /// stopped between storing and sending), and no producer must wait forever for a task that is done. A result of
    /// a superseded attempt sends nothing. Not counted again.
    /// </summary>
    public async Task RepublishIfDecidedAsync(ISendEndpointProvider sender, Guid taskId, int attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        if (await tasks.FindDecidedByAsync(taskId, attempt, cancellationToken) is not { } decided)
        {
            logger.LogDebug("Result of task {TaskId} attempt {Attempt} did not decide its outcome (superseded)", taskId, attempt);
            return;
        }

        logger.LogDebug("Result of task {TaskId} attempt {Attempt} repeats the one that decided it; sending the stored outcome again", taskId, attempt);
        await SendAsync(sender, TaskFinishedFactory.Stored(decided), RouteOf(decided), cancellationToken);
    }

    private static ReplyRoute RouteOf(TaskRecord task) => new(task.ReplyTo, task.SubmittedBy);

    private async Task AnnounceAsync(ISendEndpointProvider sender, TaskFinished outcome, ReplyRoute route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(outcome);
        metrics.TaskFinished(outcome.Outcome, outcome.ErrorKind);
        rates.Completed();
        foreach (var observer in observers)
        {
            observer.Recorded(outcome);
        }

        if (outcome.Outcome != TaskOutcome.Succeeded)
        {
            logger.LogWarning("Task {TaskId} failed (attempt {Attempt}{Worker}, {Kind}): {Error}",
                outcome.TaskId, outcome.Attempt, outcome.WorkerId is null ? "" : $" on {outcome.WorkerId}", outcome.ErrorKind, outcome.Error);
        }

        await SendAsync(sender, outcome, route, cancellationToken);
    }

    private async Task SendAsync(ISendEndpointProvider sender, TaskFinished outcome, ReplyRoute route, CancellationToken cancellationToken)
    {
        if (replies.AddressOf(route, outcome.TaskId) is not { } address)
        {
            return;
        }

        if (batchQueues.BatcherOf(route.ReplyTo!) is { } batcher)
        {
            await batcher.SendAsync(address, outcome, sender, cancellationToken);
            return;
        }

        var endpoint = await sender.GetSendEndpoint(address);
        await BrokerConfirmation.WithinAsync(transport.RabbitMq.ConfirmTimeout, token => endpoint.Send(outcome, token), cancellationToken);
    }
}
