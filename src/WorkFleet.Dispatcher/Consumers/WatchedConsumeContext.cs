using MassTransit;
using MassTransit.Context;

namespace WorkFleet.Dispatcher.Consumers;

/// <summary>A consume context whose cancellation token is the delivery's watch token (<see cref="DeliveryWatch"/>).</summary>
internal sealed class WatchedConsumeContext(ConsumeContext context, CancellationToken token) : ConsumeContextProxy(context)
{
    /// <inheritdoc />
    public override CancellationToken CancellationToken => token;
}
