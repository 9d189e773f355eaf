using System.Globalization;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Logging;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Observability;
using WorkFleet.Dispatcher.Persistence;

namespace WorkFleet.Dispatcher.Consumers;

/// <summary>
/// Records a submitted task (idempotent on TaskId), waits for a free slot, records the attempt and sends
/// it to the chosen worker's queue. The submit message is acknowledged only when this returns, so a crash
/// anywhere before leaves it in the durable submit queue. A new valid task is stored when its slot comes, with its
/// first attempt, or as Pending once it has waited <c>RecordWaitingAfter</c>; a redelivered submit is looked up in
/// the store first (its task is most likely stored and dispatched already). The tasks of a <see cref="SubmitTaskBatch"/>
/// are handled side by side, each as if it had come alone, and the batch is acknowledged when all are; at most
/// <c>SubmitConcurrency</c> tasks are handled at once, however they came (<see cref="SubmitAdmission"/>).
/// </summary>
public sealed class SubmitTaskConsumer(
    TaskDispatcher dispatcher,
    TaskStore tasks,
    SubmitTaskValidator validator,
    TaskFinisher finisher,
    OutcomeReplies replies,
    SubmitAdmission admission,
    TaskRates rates,
    TimeProvider clock,
    ILogger<SubmitTaskConsumer> logger) : IConsumer<SubmitTask>, IConsumer<SubmitTaskBatch>
{
    /// <inheritdoc />
    public async Task Consume(ConsumeContext<SubmitTask> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Message.TaskId == Guid.Empty)
        {
            throw new InvalidTaskException("SubmitTask has no 'taskId'; a task cannot be recorded without one.");
        }

        await AdmitAsync(context.Message, context);
    }

    /// <inheritdoc />
    public async Task Consume(ConsumeContext<SubmitTaskBatch> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var batch = context.Message.Tasks ?? [];
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i] is not { } task || task.TaskId == Guid.Empty)
            {
                throw new InvalidTaskException(string.Create(CultureInfo.InvariantCulture,
                    $"SubmitTaskBatch task {i} (of {batch.Count}) has no 'taskId'; no task of the batch was recorded."));
            }
        }

        // Empty also when the raw-JSON deserializer read a bare SubmitTask as a batch: its other consumer handles it.
        if (batch.Count > 0)
        {
            await Task.WhenAll(batch.Select(task => AdmitAsync(task, context)));
        }
    }

    private async Task AdmitAsync(SubmitTask message, ConsumeContext context)
    {
        using var admitted = await admission.EnterAsync(context.CancellationToken);
        await SubmitAsync(message, context);
    }

    private async Task SubmitAsync(SubmitTask message, ConsumeContext context)
    {
        // Everything below may wait (for a slot above all); the token is cancelled when the delivery can no longer
        // be acknowledged (DeliveryFilter). The task is then recorded (Pending) or dispatched, and the redelivery
        // carries on from the stored state.
        var cancellationToken = context.CancellationToken;
        var problems = validator.Validate(message);
        var task = ToRecord(message, problems, replies.RouteOf(context, message.TaskId));
        var isNew = problems.Count == 0 && !context.ReceiveContext.Redelivered;
        if (isNew)
        {
            rates.Arrived();
        }

        var stored = isNew
            ? await dispatcher.DispatchNewAsync(task, message.Payload, context, cancellationToken)
            : await tasks.RecordSubmittedAsync(task, cancellationToken);
        switch (stored?.Status)
        {
            case null:
                break;
            case TaskState.Pending when stored.Attempt == 0:
                if (!isNew)
                {
                    rates.Arrived();
                }

                await dispatcher.DispatchAsync(stored, message.Payload, context, cancellationToken);
                break;
            case TaskState.Dispatched or TaskState.Running:
                await dispatcher.ResendAsync(stored!, context, cancellationToken);
                break;
            case TaskState.Failed when stored.ErrorKind == ErrorKinds.InvalidTask:
                await finisher.AnnounceAsync(context, TaskFinishedFactory.Stored(stored), stored, cancellationToken);
                break;
            default:
                logger.LogDebug("Task {TaskId} is already {Status} at attempt {Attempt}; duplicate submit ignored", stored.Id, stored.Status, stored.Attempt);
                break;
        }
    }

    private TaskRecord ToRecord(SubmitTask message, IReadOnlyList<string> problems, ReplyRoute route)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var invalid = problems.Count > 0;
        return new TaskRecord
        {
            Id = message.TaskId,
            JobType = message.JobType ?? string.Empty,
            Payload = invalid || message.Payload.ValueKind == JsonValueKind.Undefined ? "null" : message.Payload.GetRawText(),
            Priority = Math.Clamp(message.Priority, TaskPriority.Min, TaskPriority.Max),
            RequiredCapabilities = [.. (message.RequiredCapabilities ?? []).Where(c => !string.IsNullOrWhiteSpace(c))],
            TimeoutMs = message.Timeout is { } t && t > TimeSpan.Zero ? (long)t.TotalMilliseconds : null,
            ExpectedCostMs = invalid ? null : message.ExpectedCost,
            Status = invalid ? TaskState.Failed : TaskState.Pending,
            SubmittedAt = message.SubmittedAt == default ? now : message.SubmittedAt.UtcDateTime,
            CreatedAt = now,
            FinishedAt = invalid ? now : null,
            Error = invalid ? $"Invalid task: {string.Join("; ", problems)}." : null,
            ErrorKind = invalid ? ErrorKinds.InvalidTask : null,
            ReplyTo = route.ReplyTo,
            SubmittedBy = route.SubmittedBy,
            TraceId = TaskTraces.Arriving(),
        };
    }
}
