using MassTransit;
using WorkFleet.Balancing;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dispatcher.Consumers;

/// <summary>
/// Frees this dispatcher's ledger entry for an attempt whose result another dispatcher stored and, in the
/// same step, counts the attempts that dispatcher put on the freed slot (<see cref="AttemptEnded.Successors"/>).
/// </summary>
public sealed class AttemptEndedConsumer(SlotAllocator slots) : IConsumer<AttemptEnded>
{
    /// <inheritdoc />
    public Task Consume(ConsumeContext<AttemptEnded> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        var successors = (message.Successors ?? [])
            .Where(s => s.WorkerId == message.WorkerId)
            .Select(s => new ObservedAttempt(new AssignmentKey(s.TaskId, s.Attempt), s.JobType, s.ExpectedCostMs))
            .ToList();
        slots.Replace(message.WorkerId, new AssignmentKey(message.TaskId, message.Attempt), successors);
        return Task.CompletedTask;
    }
}
