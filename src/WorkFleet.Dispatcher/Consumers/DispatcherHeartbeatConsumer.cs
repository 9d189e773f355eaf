using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dispatcher.Consumers;

/// <summary>
/// Hears the other dispatchers. A new peer may have loaded its ledger from the store before this dispatcher knew
/// of it, and this one did not broadcast meanwhile: it gets this dispatcher's outstanding attempts announced
/// (counting an attempt twice is impossible: a ledger counts each key once).
/// </summary>
public sealed class DispatcherHeartbeatConsumer(
    PeerDispatchers peers,
    SlotAllocator slots,
    IOptions<DispatcherOptions> options,
    ILogger<DispatcherHeartbeatConsumer> logger) : IConsumer<DispatcherHeartbeat>
{
    /// <inheritdoc />
    public async Task Consume(ConsumeContext<DispatcherHeartbeat> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var peer = context.Message.DispatcherId;
        if (string.IsNullOrEmpty(peer) || !peers.Hear(peer))
        {
            return;
        }

        var own = slots.OwnAssignments();
        logger.LogInformation("Dispatcher {Peer} shares the fleet; announcing this dispatcher's {Count} outstanding attempt(s) to it", peer, own.Count);
        var dispatcherId = options.Value.DispatcherId;
        foreach (var (workerId, key) in own)
        {
            await context.Publish(slots.Announcement(workerId, key, dispatcherId), context.CancellationToken);
        }
    }
}
