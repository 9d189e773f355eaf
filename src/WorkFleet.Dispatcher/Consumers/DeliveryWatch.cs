using MassTransit;
using MassTransit.RabbitMqTransport;

namespace WorkFleet.Dispatcher.Consumers;

/// <summary>
/// The lifetime of one RabbitMQ delivery, for consumers that wait (a submit waiting for a free slot) or talk
/// to the broker (sends, publishes): a token cancelled with the consume, and also as soon as the channel that
/// delivered the message, or its connection, is closed (broker restart, connection lost).
/// A delivery on a closed channel can no longer be acknowledged: the broker delivers it again once the bus
/// reconnects, so carrying on is pointless, and the message retry policy must not keep it either. Worse, the
/// bus recovers the connection only after the running deliveries of its channels have returned: a consumer
/// that keeps waiting for a slot (which only results and heartbeats on that same connection can free) or for
/// the broker (a publish) would keep the whole connection down for good.
/// </summary>
internal sealed class DeliveryWatch : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly CancellationTokenSource _source;
    private readonly Timer? _timer;
    private volatile bool _channelClosed;

    /// <summary>Starts watching the channel of <paramref name="context"/>'s delivery (no-op on other transports).</summary>
    public DeliveryWatch(ConsumeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _source = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        if (context.ReceiveContext.TryGetPayload<ChannelContext>(out var channel))
        {
            _timer = new Timer(_ => Check(channel), null, PollInterval, PollInterval);
        }
    }

    /// <summary>Cancelled when the consume is, or when the delivering channel closed.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>True once the delivering channel (or its connection) was seen closed.</summary>
    public bool ChannelClosed => _channelClosed;

    /// <inheritdoc />
    public void Dispose()
    {
        _timer?.Dispose();
        _source.Dispose();
    }

    private void Check(ChannelContext channel)
    {
        // The connection is marked closed the moment it drops; its channels only once their running
        // deliveries have returned, which is what the waiting deliveries would wait for.
        if (_channelClosed || (channel.Channel.IsOpen && channel.ConnectionContext.Connection.IsOpen))
        {
            return;
        }

        _channelClosed = true;
        try
        {
            _source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The consume finished meanwhile.
        }
    }
}
