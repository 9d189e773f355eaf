using MassTransit;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Hosting;
using WorkFleet.Dispatcher.Persistence;

namespace WorkFleet.Dispatcher.Consumers;

/// <summary>Updates the in-memory fleet view at once and queues the heartbeat for the batched table write.</summary>
public sealed class WorkerHeartbeatConsumer(
    SlotAllocator slots,
    HeartbeatWriter writer,
    FleetDepartures departures,
    TimeProvider clock) : IConsumer<WorkerHeartbeat>
{
    /// <inheritdoc />
    public Task Consume(ConsumeContext<WorkerHeartbeat> context)
    {
        ArgumentNullException.ThrowIfNull(context);
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
