using MassTransit;
using Microsoft.Extensions.Logging;
using WorkFleet.Balancing;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Persistence;

namespace WorkFleet.Dispatcher.Consumers;

/// <summary>
/// Stores what workers report: start, success, failure. The first terminal result of the task's current
/// attempt decides the outcome, or schedules the next attempt for a retryable failure. The slot is freed
/// after the write, so the recorded hold interval of an attempt always lies inside the time the ledger
/// counted it; <see cref="AttemptEnded"/> tells the other dispatchers to free it too.
/// </summary>
public sealed class TaskResultConsumer(
    SlotAllocator slots,
    TaskStore tasks,
    RetryPolicy retries,
    DispatcherReadiness readiness,
    TimeProvider clock,
    ILogger<TaskResultConsumer> logger) : IConsumer<TaskStarted>, IConsumer<TaskCompleted>, IConsumer<TaskFailed>
{
    /// <inheritdoc />
    public async Task Consume(ConsumeContext<TaskStarted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await readiness.WaitAsync(context.CancellationToken);
        await tasks.RecordStartedAsync(context.Message, context.CancellationToken);
    }

    /// <inheritdoc />
    public async Task Consume(ConsumeContext<TaskCompleted> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await readiness.WaitAsync(context.CancellationToken);
        var message = context.Message;
        var now = clock.GetUtcNow();
        var disposition = await tasks.RecordCompletedAsync(message, now.UtcDateTime, context.CancellationToken);
        await EndAttemptAsync(context, message.TaskId, message.Attempt, message.WorkerId);
        if (disposition == ResultDisposition.Decided)
        {
            await context.Publish(TaskFinishedFactory.Succeeded(message.TaskId, message.Attempt, message.WorkerId, message.Result, now));
        }
        else
        {
            logger.LogDebug("Result of task {TaskId} attempt {Attempt} did not decide its outcome (duplicate or superseded)", message.TaskId, message.Attempt);
        }
    }

    /// <inheritdoc />
    public async Task Consume(ConsumeContext<TaskFailed> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await readiness.WaitAsync(context.CancellationToken);
        var message = context.Message;
        var now = clock.GetUtcNow();
        var delay = retries.DelayAfter(message.Attempt, message.Retryable);
        var disposition = await tasks.RecordFailedAsync(message, now.UtcDateTime, (now + delay)?.UtcDateTime, context.CancellationToken);
        await EndAttemptAsync(context, message.TaskId, message.Attempt, message.WorkerId);
        switch (disposition)
        {
            case ResultDisposition.Decided:
                logger.LogWarning("Task {TaskId} failed on {WorkerId} (attempt {Attempt}, {Kind}): {Error}", message.TaskId, message.WorkerId, message.Attempt, message.ErrorKind, message.Error);
                await context.Publish(TaskFinishedFactory.Failed(message.TaskId, message.Attempt, message.WorkerId, message.Error, message.ErrorKind, now));
                break;
            case ResultDisposition.RetryScheduled:
                logger.LogInformation("Task {TaskId} attempt {Attempt} failed ({Kind}: {Error}); attempt {Next} in {Delay:F0} ms",
                    message.TaskId, message.Attempt, message.ErrorKind, message.Error, message.Attempt + 1, delay!.Value.TotalMilliseconds);
                break;
        }
    }

    private async Task EndAttemptAsync(ConsumeContext context, Guid taskId, int attempt, string workerId)
    {
        slots.Release(workerId, new AssignmentKey(taskId, attempt));
        await context.Publish(new AttemptEnded { TaskId = taskId, Attempt = attempt, WorkerId = workerId });
    }
}
