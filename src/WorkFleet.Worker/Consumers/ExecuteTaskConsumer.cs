using MassTransit;
using WorkFleet.Contracts;
using WorkFleet.Worker.Execution;

namespace WorkFleet.Worker.Consumers;

/// <summary>
/// Runs the tasks of one worker's queue (the endpoint limits concurrency to the worker's capacity) and
/// sends start and result back to the dispatcher's results queue. The message is acknowledged after the
/// result is sent, so a crash mid-task leaves it in the durable queue.
/// </summary>
public sealed class ExecuteTaskConsumer(WorkerRuntime runtime, TaskExecutor executor, TimeProvider clock) : IConsumer<ExecuteTask>
{
    private static readonly Uri ResultsQueue = new($"queue:{QueueNames.Results}");

    /// <inheritdoc />
    public async Task Consume(ConsumeContext<ExecuteTask> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var task = context.Message;
        var results = await context.GetSendEndpoint(ResultsQueue);
        runtime.OnReceived();
        await results.Send(
            new TaskStarted { TaskId = task.TaskId, Attempt = task.Attempt, WorkerId = runtime.WorkerId, StartedAt = clock.GetUtcNow() },
            context.CancellationToken);

        var outcome = await executor.ExecuteAsync(runtime, task, context.CancellationToken);
        if (outcome.Completed is { } completed)
        {
            await results.Send(completed, CancellationToken.None);
        }
        else
        {
            await results.Send(outcome.Failed!, CancellationToken.None);
        }
    }
}
