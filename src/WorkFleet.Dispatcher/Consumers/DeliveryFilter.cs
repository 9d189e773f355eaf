using MassTransit;
using Microsoft.Extensions.Logging;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dispatcher.Consumers;

/// <summary>
/// What every delivery to the dispatcher goes through before its consumer: it waits until the dispatcher is
/// ready (store migrated, fleet view and ledger loaded), then runs the consumer with a token that is also
/// cancelled when the delivering channel closes (<see cref="DeliveryWatch"/>). When that happened, whatever the
/// consumer threw is logged and swallowed: the delivery cannot be acknowledged any more and the broker delivers
/// it again after the reconnect, which the consumers are idempotent for; retrying it here would only hold up
/// the connection's recovery.
/// </summary>
public sealed class DeliveryFilter(DispatcherReadiness readiness, ILogger<DeliveryFilter> logger) : IFilter<ConsumeContext>
{
    /// <inheritdoc />
    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        await readiness.WaitAsync(context.CancellationToken);
        using var watch = new DeliveryWatch(context);
        try
        {
            await next.Send(new WatchedConsumeContext(context, watch.Token));
        }
        catch (Exception ex) when (watch.ChannelClosed && !context.CancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Message {MessageId}: the broker connection that delivered it closed while it was handled ({Error}); it will be delivered again",
                context.MessageId, ex.Message);
        }
    }

    /// <inheritdoc />
    public void Probe(ProbeContext context) => context?.CreateFilterScope("workfleet-delivery");
}
