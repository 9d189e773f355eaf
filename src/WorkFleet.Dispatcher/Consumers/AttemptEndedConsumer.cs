using MassTransit;
using WorkFleet.Balancing;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dispatcher.Consumers;

/// <summary>Frees this dispatcher's ledger entry for an attempt whose result another dispatcher stored.</summary>
public sealed class AttemptEndedConsumer(SlotAllocator slots) : IConsumer<AttemptEnded>
{
    /// <inheritdoc />
    public Task Consume(ConsumeContext<AttemptEnded> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        slots.Release(context.Message.WorkerId, new AssignmentKey(context.Message.TaskId, context.Message.Attempt));
        return Task.CompletedTask;
    }
}
