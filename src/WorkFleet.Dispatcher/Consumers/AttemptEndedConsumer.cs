using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkFleet.Balancing;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dispatcher.Consumers;

/// <summary>
/// Frees this dispatcher's ledger entry for an attempt whose result another dispatcher stored, after
/// <see cref="DispatcherOptions.BroadcastEndGrace"/> (see there why).
/// </summary>
public sealed class AttemptEndedConsumer(SlotAllocator slots, IOptions<DispatcherOptions> options, TimeProvider clock, ILogger<AttemptEndedConsumer> logger)
    : IConsumer<AttemptEnded>
{
    /// <inheritdoc />
    public Task Consume(ConsumeContext<AttemptEnded> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var workerId = context.Message.WorkerId;
        var key = new AssignmentKey(context.Message.TaskId, context.Message.Attempt);
        var grace = options.Value.BroadcastEndGrace;
        if (grace <= TimeSpan.Zero)
        {
            slots.Release(workerId, key);
            return Task.CompletedTask;
        }

        // Not awaited: the message is handled once the release is scheduled; were the process to stop first,
        // its ledger goes with it.
        _ = ReleaseLaterAsync(workerId, key, grace);
        return Task.CompletedTask;
    }

    private async Task ReleaseLaterAsync(string workerId, AssignmentKey key, TimeSpan grace)
    {
        try
        {
            await Task.Delay(grace, clock);
            slots.Release(workerId, key);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Could not release attempt {Attempt} of task {TaskId} on {WorkerId}; the ledger reconciliation will", key.Attempt, key.TaskId, workerId);
        }
    }
}
