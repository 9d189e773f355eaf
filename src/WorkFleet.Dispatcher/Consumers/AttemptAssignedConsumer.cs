using MassTransit;
using Microsoft.Extensions.Options;
using WorkFleet.Balancing;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dispatcher.Consumers;

/// <summary>Counts an attempt another dispatcher sent in this dispatcher's ledger (its own broadcasts are ignored).</summary>
public sealed class AttemptAssignedConsumer(SlotAllocator slots, IOptions<DispatcherOptions> options) : IConsumer<AttemptAssigned>
{
    /// <inheritdoc />
    public Task Consume(ConsumeContext<AttemptAssigned> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        if (!string.Equals(message.DispatcherId, options.Value.DispatcherId, StringComparison.Ordinal))
        {
            slots.Observe(message.WorkerId, new ObservedAttempt(new AssignmentKey(message.TaskId, message.Attempt), message.JobType, message.ExpectedCostMs));
        }

        return Task.CompletedTask;
    }
}
