using MassTransit;
using Microsoft.Extensions.Logging;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Observability;
using WorkFleet.Dispatcher.Persistence;

namespace WorkFleet.Dispatcher.Consumers;

/// <summary>
/// Fails a cancelled task that no worker holds (waiting for a slot or for its next attempt). A running
/// task is cancelled by its worker, which reports a non-retryable <c>cancelled</c> failure.
/// </summary>
public sealed class CancelTaskConsumer(TaskStore tasks, DispatcherMetrics metrics, DispatcherReadiness readiness, TimeProvider clock, ILogger<CancelTaskConsumer> logger) : IConsumer<CancelTask>
{
    /// <inheritdoc />
    public async Task Consume(ConsumeContext<CancelTask> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await readiness.WaitAsync(context.CancellationToken);
        var message = context.Message;
        var error = $"Cancelled by request{(string.IsNullOrWhiteSpace(message.Reason) ? "" : $": {message.Reason}")}.";
        var now = clock.GetUtcNow();
        if (await tasks.CancelPendingAsync(message.TaskId, error, now.UtcDateTime, context.CancellationToken))
        {
            logger.LogInformation("Task {TaskId} cancelled before reaching a worker", message.TaskId);
            metrics.TaskFinished(TaskOutcome.Failed, ErrorKinds.Cancelled);
            await context.Publish(TaskFinishedFactory.Failed(message.TaskId, 0, null, error, ErrorKinds.Cancelled, now));
        }
    }
}
