using MassTransit;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Hosting;
using WorkFleet.Dispatcher.Persistence;
using WorkFleet.Dispatcher.Trust;

namespace WorkFleet.Dispatcher.Consumers;

/// <summary>
/// Updates the in-memory fleet view at once and queues the heartbeat for the batched table write, when it is
/// believed (<see cref="SenderTrust"/>): a refused heartbeat changes nothing, not even a departure.
/// </summary>
public sealed class WorkerHeartbeatConsumer(
    SlotAllocator slots,
    HeartbeatWriter writer,
    FleetDepartures departures,
    SenderTrust trust,
    TimeProvider clock) : IConsumer<WorkerHeartbeat>
{
    /// <inheritdoc />
    public Task Consume(ConsumeContext<WorkerHeartbeat> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!trust.Believes(context, context.Message))
        {
            return Task.CompletedTask;
        }

        var now = clock.GetUtcNow();
        if (context.Message.State == WorkerState.Stopped)
        {
            departures.Record(context.Message.WorkerId, now);
        }

        if (slots.Apply(SnapshotMapper.FromHeartbeat(context.Message, now)))
        {
            writer.Enqueue(new ReceivedHeartbeat(context.Message, now.UtcDateTime));
        }

        return Task.CompletedTask;
    }
}
