using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkFleet.Balancing;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Observability;
using WorkFleet.Dispatcher.Persistence;
using WorkFleet.Dispatcher.Trust;

namespace WorkFleet.Dispatcher.Consumers;

/// <summary>
/// Stores what workers report: start, success, failure. The first terminal result of the task's current
/// attempt decides the outcome, or schedules the next attempt for a retryable failure. The slot is freed
/// after the write, so the recorded hold interval of an attempt always lies inside the time the ledger
/// counted it; <see cref="AttemptEnded"/> tells the other dispatchers to free it too, together with the
/// waiting tasks this dispatcher put on the slot in the same step, so no other dispatcher sees it free. Reports are
/// believed only from the worker's own broker user (<see cref="SenderTrust"/>) and stored only for the worker the
/// attempt was sent to.
/// </summary>
public sealed class TaskResultConsumer(
    SlotAllocator slots,
    TaskStore tasks,
    RetryPolicy retries,
    DispatcherMetrics metrics,
    IOptions<DispatcherOptions> options,
    TaskFinisher finisher,
    PeerDispatchers peers,
    SenderTrust trust,
    TimeProvider clock,
    ILogger<TaskResultConsumer> logger) : IConsumer<TaskStarted>, IConsumer<TaskCompleted>, IConsumer<TaskFailed>, IConsumer<TaskResultBatch>
{
    /// <inheritdoc />
    public Task Consume(ConsumeContext<TaskStarted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return trust.Believes(context, context.Message.WorkerId, context.Message.TaskId)
            ? tasks.RecordStartedAsync(context.Message, context.CancellationToken)
            : Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task Consume(ConsumeContext<TaskCompleted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (trust.Believes(context, context.Message.WorkerId, context.Message.TaskId))
        {
            await RecordCompletedAsync(context, context.Message, context.CancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task Consume(ConsumeContext<TaskFailed> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (trust.Believes(context, context.Message.WorkerId, context.Message.TaskId))
        {
            await RecordFailedAsync(context, context.Message, context.CancellationToken);
        }
    }

    /// <summary>
    /// Records every item of a worker's batch as if it had arrived alone, all at once so that their store writes share
    /// a transaction (<see cref="GroupCommitWriter"/>). The sender is checked once for the batch's worker; an item that
    /// names another worker is refused. When one item fails the whole message is retried: the items already recorded
    /// change nothing the second time and send their stored outcome again, as a redelivered single result does.
    /// </summary>
    public async Task Consume(ConsumeContext<TaskResultBatch> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var batch = context.Message;
        var completed = batch.Completed ?? [];
        var failed = batch.Failed ?? [];
        if (!trust.BelievesBatch(context, batch.WorkerId, completed.Count + failed.Count))
        {
            return;
        }

        var cancellationToken = context.CancellationToken;
        var records = new List<Task>(completed.Count + failed.Count);
        foreach (var item in completed)
        {
            if (IsOwnItem(context, batch, item.WorkerId, item.TaskId))
            {
                records.Add(RecordCompletedAsync(context, item, cancellationToken));
            }
        }

        foreach (var item in failed)
        {
            if (IsOwnItem(context, batch, item.WorkerId, item.TaskId))
            {
                records.Add(RecordFailedAsync(context, item, cancellationToken));
            }
        }

        await Task.WhenAll(records);
    }

    private bool IsOwnItem(ConsumeContext context, TaskResultBatch batch, string workerId, Guid taskId)
    {
        if (string.Equals(workerId, batch.WorkerId, StringComparison.Ordinal))
        {
            return true;
        }

        metrics.MessageRefused();
        logger.LogWarning("Refused the result for task {TaskId} naming worker '{ItemWorkerId}' in a batch from worker '{WorkerId}' (message {MessageId})",
            taskId, workerId, batch.WorkerId, context.MessageId);
        return false;
    }

    private async Task RecordCompletedAsync(ConsumeContext context, TaskCompleted message, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var recorded = await tasks.RecordCompletedAsync(message, now.UtcDateTime, cancellationToken);
        if (recorded.Disposition == ResultDisposition.Decided)
        {
            slots.ObserveRun(message.WorkerId, new AssignmentKey(message.TaskId, message.Attempt), message.FinishedAt - message.StartedAt);
        }

        await EndAttemptAsync(context, message.TaskId, message.Attempt, message.WorkerId, cancellationToken);
        if (recorded.Disposition == ResultDisposition.Decided)
        {
            metrics.JobRan(message.FinishedAt - message.StartedAt);
            await finisher.AnnounceAsync(context, TaskFinishedFactory.Succeeded(message.TaskId, message.Attempt, message.WorkerId, message.Result, now), recorded, cancellationToken);
        }
        else
        {
            await finisher.RepublishIfDecidedAsync(context, message.TaskId, message.Attempt, cancellationToken);
        }
    }

    private async Task RecordFailedAsync(ConsumeContext context, TaskFailed message, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var delay = retries.DelayAfter(message.Attempt, message.Retryable);
        var recorded = await tasks.RecordFailedAsync(message, now.UtcDateTime, (now + delay)?.UtcDateTime, cancellationToken);
        await EndAttemptAsync(context, message.TaskId, message.Attempt, message.WorkerId, cancellationToken);
        switch (recorded.Disposition)
        {
            case ResultDisposition.Decided:
                metrics.JobRan(message.FinishedAt - message.StartedAt);
                await finisher.AnnounceAsync(context, TaskFinishedFactory.Failed(message.TaskId, message.Attempt, message.WorkerId, message.Error, message.ErrorKind, now), recorded, cancellationToken);
                break;
            case ResultDisposition.RetryScheduled:
                metrics.JobRan(message.FinishedAt - message.StartedAt);
                metrics.RetryScheduled();
                logger.LogInformation("Task {TaskId} attempt {Attempt} failed ({Kind}: {Error}); attempt {Next} in {Delay:F0} ms",
                    message.TaskId, message.Attempt, message.ErrorKind, message.Error, message.Attempt + 1, delay!.Value.TotalMilliseconds);
                break;
            default:
                await finisher.RepublishIfDecidedAsync(context, message.TaskId, message.Attempt, cancellationToken);
                break;
        }
    }

    private async Task EndAttemptAsync(ConsumeContext context, Guid taskId, int attempt, string workerId, CancellationToken cancellationToken)
    {
        var successors = slots.ReleaseFinished(workerId, new AssignmentKey(taskId, attempt));
        if (!peers.Any)
        {
            return;
        }

        await context.Publish(
            new AttemptEnded
            {
                TaskId = taskId,
                Attempt = attempt,
                WorkerId = workerId,
                Successors = [.. successors.Select(k => slots.Announcement(workerId, k, options.Value.DispatcherId))],
            },
            cancellationToken);
    }
}
