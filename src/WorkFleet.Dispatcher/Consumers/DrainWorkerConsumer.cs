using MassTransit;
using Microsoft.Extensions.Logging;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dispatcher.Consumers;

/// <summary>Every dispatcher stops sending tasks to a worker as soon as its drain is announced.</summary>
public sealed class DrainWorkerConsumer(SlotAllocator slots, ILogger<DrainWorkerConsumer> logger) : IConsumer<DrainWorker>
{
    /// <inheritdoc />
    public Task Consume(ConsumeContext<DrainWorker> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var drain = context.Message;
        if (string.IsNullOrWhiteSpace(drain.WorkerId))
        {
            logger.LogWarning("Ignored a DrainWorker command without a worker id (message {MessageId}).", context.MessageId);
            return Task.CompletedTask;
        }

        slots.RequestDrain(drain.WorkerId, drain.RequestedAt == default ? DateTimeOffset.UtcNow : drain.RequestedAt);
        logger.LogInformation("Worker {WorkerId} is draining ({Reason}): it receives no new tasks.", drain.WorkerId, drain.Reason ?? "no reason given");
        return Task.CompletedTask;
    }
}
