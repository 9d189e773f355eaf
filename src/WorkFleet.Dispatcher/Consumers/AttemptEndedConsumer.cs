using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkFleet.Balancing;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dispatcher.Consumers;

/// <summary>
/// Frees this dispatcher's ledger entry for an attempt whose result another dispatcher stored and, in the
/// same step, counts the attempts that dispatcher put on the freed slot (optionally after
/// <see cref="DispatcherOptions.BroadcastEndGrace"/>).
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
        var successors = (context.Message.Successors ?? [])
            .Where(s => s.WorkerId == workerId)
            .Select(s => new AssignmentKey(s.TaskId, s.Attempt))
            .ToList();
        var grace = options.Value.BroadcastEndGrace;
        if (grace <= TimeSpan.Zero)
        {
            slots.Replace(workerId, key, successors);
            return Task.CompletedTask;
        }

        // Not awaited: the message is handled once the release is scheduled; were the process to stop first,
        // its ledger goes with it.
        _ = ReplaceLaterAsync(workerId, key, successors, grace);
        return Task.CompletedTask;
    }

    private async Task ReplaceLaterAsync(string workerId, AssignmentKey key, IReadOnlyList<AssignmentKey> successors, TimeSpan grace)
    {
        try
        {
            await Task.Delay(grace, clock);
            slots.Replace(workerId, key, successors);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogWarning(ex, "Could not release attempt {Attempt} of task {TaskId} on {WorkerId}; the ledger reconciliation will", key.Attempt, key.TaskId, workerId);
        }
    }
}
