using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Data.Entities;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Observability;
using WorkFleet.Dispatcher.Persistence;
using WorkFleet.Dispatcher.Trust;
using WorkFleet.Messaging.Configuration;
using WorkFleet.Messaging.Security;

namespace WorkFleet.Dispatcher.Consumers;

/// <summary>
/// Takes cancellation requests from the cancel queue (<see cref="QueueNames.Cancel"/>) and honours only those
/// <see cref="CancelAuthorization"/> allows: from the broker user that submitted the task or an operator. A refused
/// one is logged with its sender and task, counted in <c>workfleet_messages_refused_total</c>, and changes nothing.
/// An allowed one fails a task no worker holds (waiting for a slot or for its next attempt); for a task a worker
/// holds, the dispatcher publishes the worker-facing <see cref="CancelTask"/>, and the worker reports a
/// non-retryable <c>cancelled</c> failure. A finished task keeps its outcome.
/// </summary>
public sealed class CancelTaskConsumer(
    TaskStore tasks,
    UnrecordedTasks unrecorded,
    TaskFinisher finisher,
    IOptions<SenderTrustOptions> options,
    IOptions<DispatcherOptions> dispatcherOptions,
    TimeProvider clock,
    TransportOptions transport,
    DispatcherMetrics metrics,
    ILogger<CancelTaskConsumer> logger) : IConsumer<CancelTask>
{
    // Time for another dispatcher's write of a task that became due to be stored.
    private static readonly TimeSpan RecordMargin = TimeSpan.FromMilliseconds(500);

    private readonly bool _identityRequired = options.Value.RequireSenderIdentity && transport.Kind == TransportKind.RabbitMq;
    private readonly string[] _privileged = [.. options.Value.OperatorUsers, .. OwnUser(transport)];

    /// <inheritdoc />
    public async Task Consume(ConsumeContext<CancelTask> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        var sender = SenderIdentity.Of(context);
        if (await FindAsync(message.TaskId, context.CancellationToken) is not { } task)
        {
            logger.LogInformation("Cancel of task {TaskId} from broker user '{Sender}' ignored: no such task is stored", message.TaskId, sender ?? "unknown");
            return;
        }

        if (CancelAuthorization.Problem(sender, task.SubmittedBy, _privileged, _identityRequired) is { } problem)
        {
            metrics.MessageRefused();
            logger.LogWarning("Refused a cancel of task {TaskId} from broker user '{Sender}' (message {MessageId}): {Problem}",
                message.TaskId, sender ?? "unknown", context.MessageId, problem);
            return;
        }

        if (task.Status is TaskState.Succeeded or TaskState.Failed)
        {
            logger.LogInformation("Cancel of task {TaskId} ignored: it is already {Status}", task.Id, task.Status);
            return;
        }

        var error = $"Cancelled by request{(string.IsNullOrWhiteSpace(message.Reason) ? "" : $": {message.Reason}")}.";
        if (await finisher.FailWaitingAsync(context, task, error, ErrorKinds.Cancelled, context.CancellationToken))
        {
            logger.LogInformation("Task {TaskId} cancelled by '{Sender}' before reaching a worker", task.Id, sender ?? "unknown");
            return;
        }

        // Not waiting any more: a worker holds it (or it has just finished, and the worker ignores the request).
        logger.LogInformation("Task {TaskId} cancelled by '{Sender}'; asking the workers to stop it", task.Id, sender ?? "unknown");
        await context.Publish(new CancelTask { TaskId = task.Id, Reason = message.Reason }, context.CancellationToken);
    }

    /// <summary>
    /// The stored task. One waiting in this dispatcher's line unrecorded is stored first; one that is nowhere may wait
    /// unrecorded in another dispatcher's line, which stores it within <c>RecordWaitingAfter</c>: it is looked for once
    /// more after that.
    /// </summary>
    private async Task<TaskRecord?> FindAsync(Guid taskId, CancellationToken cancellationToken)
    {
        if (await tasks.FindAsync(taskId, cancellationToken) is { } stored)
        {
            return stored;
        }

        if (!await unrecorded.RecordNowAsync(taskId, cancellationToken))
        {
            var window = dispatcherOptions.Value.RecordWaitingAfter;
            if (window <= TimeSpan.Zero)
            {
                return null;
            }

            await Task.Delay(window + RecordMargin, clock, cancellationToken);
        }

        return await tasks.FindAsync(taskId, cancellationToken);
    }

    private static string[] OwnUser(TransportOptions transport) =>
        transport.Kind == TransportKind.RabbitMq && !string.IsNullOrEmpty(transport.RabbitMq.Username) ? [transport.RabbitMq.Username] : [];
}
