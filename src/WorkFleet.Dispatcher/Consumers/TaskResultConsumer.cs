using MassTransit;
using Microsoft.Extensions.Logging;
using WorkFleet.Balancing;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Persistence;

namespace WorkFleet.Dispatcher.Consumers;

/// <summary>
/// Stores what workers report: start, success, failure. The first terminal result of the task's current
/// attempt decides the outcome; the slot is freed after the write, so the recorded hold interval of an
/// attempt always lies inside the time the ledger counted it.
/// </summary>
public sealed class TaskResultConsumer(
    SlotAllocator slots,
    TaskStore tasks,
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
        var decided = await tasks.RecordCompletedAsync(message, now.UtcDateTime, context.CancellationToken);
        slots.Release(message.WorkerId, new AssignmentKey(message.TaskId, message.Attempt));
        if (decided)
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
        var decided = await tasks.RecordFailedAsync(message, now.UtcDateTime, context.CancellationToken);
        slots.Release(message.WorkerId, new AssignmentKey(message.TaskId, message.Attempt));
        if (decided)
        {
            logger.LogWarning("Task {TaskId} failed on {WorkerId} (attempt {Attempt}, {Kind}): {Error}", message.TaskId, message.WorkerId, message.Attempt, message.ErrorKind, message.Error);
            await context.Publish(TaskFinishedFactory.Failed(message.TaskId, message.Attempt, message.WorkerId, message.Error, message.ErrorKind, now));
        }
    }
}
