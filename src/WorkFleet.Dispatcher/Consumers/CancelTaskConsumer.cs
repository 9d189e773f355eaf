using MassTransit;
using Microsoft.Extensions.Logging;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dispatcher.Consumers;

/// <summary>
/// Fails a cancelled task that no worker holds (waiting for a slot or for its next attempt). A running
/// task is cancelled by its worker, which reports a non-retryable <c>cancelled</c> failure.
/// </summary>
public sealed class CancelTaskConsumer(TaskFinisher finisher, ILogger<CancelTaskConsumer> logger) : IConsumer<CancelTask>
{
    /// <inheritdoc />
    public async Task Consume(ConsumeContext<CancelTask> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        var error = $"Cancelled by request{(string.IsNullOrWhiteSpace(message.Reason) ? "" : $": {message.Reason}")}.";
        if (await finisher.FailWaitingAsync(context, message.TaskId, 0, error, ErrorKinds.Cancelled, context.CancellationToken))
        {
            logger.LogInformation("Task {TaskId} cancelled before reaching a worker", message.TaskId);
        }
    }
}
