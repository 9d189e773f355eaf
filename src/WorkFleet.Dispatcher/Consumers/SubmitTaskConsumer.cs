using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Logging;
using WorkFleet.Balancing;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Persistence;

namespace WorkFleet.Dispatcher.Consumers;

/// <summary>
/// Records a submitted task (idempotent on TaskId), waits for a free slot, records the attempt and sends
/// it to the chosen worker's queue. The submit message is acknowledged only when this returns, so a crash
/// anywhere before leaves it in the durable submit queue.
/// </summary>
public sealed class SubmitTaskConsumer(
    SlotAllocator slots,
    TaskStore tasks,
    SubmitTaskValidator validator,
    DispatcherReadiness readiness,
    TimeProvider clock,
    ILogger<SubmitTaskConsumer> logger) : IConsumer<SubmitTask>
{
    /// <inheritdoc />
    public async Task Consume(ConsumeContext<SubmitTask> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await readiness.WaitAsync(context.CancellationToken);
        var message = context.Message;
        if (message.TaskId == Guid.Empty)
        {
            throw new InvalidTaskException("SubmitTask has no 'taskId'; a task cannot be recorded without one.");
        }

        var problems = validator.Validate(message);
        var stored = await tasks.RecordSubmittedAsync(ToRecord(message, problems), context.CancellationToken);
        switch (stored.Status)
        {
            case TaskState.Pending:
                await DispatchAsync(context, stored);
                break;
            case TaskState.Dispatched or TaskState.Running:
                await ResendAsync(context, stored);
                break;
            case TaskState.Failed when stored.ErrorKind == ErrorKinds.InvalidTask:
                logger.LogWarning("Task {TaskId} rejected: {Error}", stored.Id, stored.Error);
                await context.Publish(TaskFinishedFactory.Failed(stored.Id, 0, null, stored.Error!, ErrorKinds.InvalidTask, clock.GetUtcNow()));
                break;
            default:
                logger.LogDebug("Task {TaskId} already finished as {Status}; duplicate submit ignored", stored.Id, stored.Status);
                break;
        }
    }

    private async Task DispatchAsync(ConsumeContext<SubmitTask> context, TaskRecord task)
    {
        var key = new AssignmentKey(task.Id, task.Attempt + 1);
        var requirements = new TaskRequirements(task.JobType, task.RequiredCapabilities);
        var selection = await slots.AcquireAsync(requirements, key, task.Priority, context.CancellationToken);
        if (selection.Outcome != SelectionOutcome.Selected)
        {
            await FailUnroutableAsync(context, task);
            return;
        }

        var workerId = selection.WorkerId!;
        var sent = false;
        try
        {
            var now = clock.GetUtcNow();
            if (!await tasks.RecordDispatchAsync(task.Id, key.Attempt, workerId, now.UtcDateTime, context.CancellationToken))
            {
                logger.LogInformation("Task {TaskId} was dispatched concurrently elsewhere; this copy stands down", task.Id);
                return;
            }

            await SendAsync(context, task, key.Attempt, workerId, context.Message.Payload, now);
            sent = true;
        }
        finally
        {
            if (!sent)
            {
                slots.Release(workerId, key);
            }
        }
    }

    private async Task ResendAsync(ConsumeContext<SubmitTask> context, TaskRecord task)
    {
        // A redelivered submit of a task already recorded as dispatched: the previous run may have stopped
        // between recording and sending. Sending the same attempt again is safe: results are fenced by attempt.
        var key = new AssignmentKey(task.Id, task.Attempt);
        logger.LogInformation("Task {TaskId} redelivered while attempt {Attempt} is open on {WorkerId}; re-sending it", task.Id, task.Attempt, task.WorkerId);
        slots.Restore(task.WorkerId!, key);
        using var payload = JsonDocument.Parse(task.Payload);
        await SendAsync(context, task, task.Attempt, task.WorkerId!, payload.RootElement.Clone(), clock.GetUtcNow());
    }

    private async Task FailUnroutableAsync(ConsumeContext<SubmitTask> context, TaskRecord task)
    {
        var supported = string.Join(", ", slots.Snapshot().Where(w => w.IsAlive).SelectMany(w => w.Snapshot.JobTypes).Distinct().Order(StringComparer.Ordinal));
        var capabilities = task.RequiredCapabilities.Count == 0 ? "" : $" with capabilities [{string.Join(", ", task.RequiredCapabilities)}]";
        var error = $"No live worker can run job type '{task.JobType}'{capabilities}; live workers run: {(supported.Length == 0 ? "nothing" : supported)}.";
        var now = clock.GetUtcNow();
        if (await tasks.FailPendingAsync(task.Id, error, ErrorKinds.NoCapableWorker, now.UtcDateTime, context.CancellationToken))
        {
            logger.LogWarning("Task {TaskId} failed: {Error}", task.Id, error);
            await context.Publish(TaskFinishedFactory.Failed(task.Id, task.Attempt, null, error, ErrorKinds.NoCapableWorker, now));
        }
    }

    private static async Task SendAsync(ConsumeContext context, TaskRecord task, int attempt, string workerId, JsonElement payload, DateTimeOffset now)
    {
        var endpoint = await context.GetSendEndpoint(new Uri($"queue:{QueueNames.ForWorker(workerId)}"));
        await endpoint.Send(
            new ExecuteTask
            {
                TaskId = task.Id,
                Attempt = attempt,
                WorkerId = workerId,
                JobType = task.JobType,
                Payload = payload,
                Timeout = task.TimeoutMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
                DispatchedAt = now,
            },
            context.CancellationToken);
    }

    private TaskRecord ToRecord(SubmitTask message, IReadOnlyList<string> problems)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var invalid = problems.Count > 0;
        return new TaskRecord
        {
            Id = message.TaskId,
            JobType = message.JobType ?? string.Empty,
            Payload = invalid || message.Payload.ValueKind == JsonValueKind.Undefined ? "null" : message.Payload.GetRawText(),
            Priority = Math.Clamp(message.Priority, 0, 9),
            RequiredCapabilities = [.. (message.RequiredCapabilities ?? []).Where(c => !string.IsNullOrWhiteSpace(c))],
            TimeoutMs = message.Timeout is { } t && t > TimeSpan.Zero ? (long)t.TotalMilliseconds : null,
            Status = invalid ? TaskState.Failed : TaskState.Pending,
            SubmittedAt = message.SubmittedAt == default ? now : message.SubmittedAt.UtcDateTime,
            CreatedAt = now,
            FinishedAt = invalid ? now : null,
            Error = invalid ? $"Invalid task: {string.Join("; ", problems)}." : null,
            ErrorKind = invalid ? ErrorKinds.InvalidTask : null,
        };
    }
}
