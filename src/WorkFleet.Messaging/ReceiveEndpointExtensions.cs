using MassTransit;

namespace WorkFleet.Messaging;

/// <summary>Transport-specific touches that the roles apply to their endpoints.</summary>
public static class ReceiveEndpointExtensions
{
    /// <summary>
    /// A queue that exists only while its consumer is connected (per-process heartbeat or reply queues).
    /// No effect on the in-memory transport.
    /// </summary>
    public static void MakeTemporary(this IReceiveEndpointConfigurator endpoint)
    {
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.Durable = false;
            rabbit.AutoDelete = true;
        }
    }

    /// <summary>A durable queue that survives broker restarts, as a quorum queue when asked.</summary>
    public static void MakeDurable(this IReceiveEndpointConfigurator endpoint, bool quorum)
    {
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.Durable = true;
            rabbit.AutoDelete = false;
            if (quorum)
            {
                rabbit.SetQuorumQueue();
            }
        }
    }

    /// <summary>
    /// Binds the durable fanout exchange <paramref name="exchange"/> to the endpoint's queue, so that senders who may
    /// only write that exchange reach the queue (see <see cref="FleetAddresses"/>). No effect on the in-memory transport.
    /// </summary>
    public static void BindInbound(this IReceiveEndpointConfigurator endpoint, string exchange)
    {
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.Bind(exchange, binding =>
            {
                binding.ExchangeType = "fanout";
                binding.Durable = true;
                binding.AutoDelete = false;
            });
        }
    }
}
