using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using WorkFleet.Messaging.Configuration;

namespace WorkFleet.Messaging.Recovery;

/// <summary>Asks the broker, on a connection of its own beside the bus, whether it accepts connections.</summary>
public sealed class BrokerProbe(TransportOptions transport)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    /// <summary>True when an AMQP connection to the configured virtual host opens.</summary>
    public async Task<bool> AcceptsConnectionsAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var factory = transport.RabbitMq.CreateFactory("workfleet-recovery-probe");
        factory.RequestedConnectionTimeout = ConnectTimeout;
        try
        {
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            return connection.IsOpen;
        }
        catch (Exception ex) when (ex is BrokerUnreachableException or OperationInterruptedException or AlreadyClosedException or IOException or TimeoutException)
        {
            return false;
        }
    }
}
