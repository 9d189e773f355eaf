using RabbitMQ.Client;
using WorkFleet.Messaging.Security;

namespace WorkFleet.Messaging.Configuration;

/// <summary>Plain RabbitMQ.Client connections beside the bus (watchdog, janitor, CLI tools), from the same settings.</summary>
public static class RabbitMqConnections
{
    /// <summary>
    /// A connection factory for <paramref name="rabbit"/>, naming its connections <paramref name="clientName"/> in the
    /// broker; over TLS, verified as the bus verifies it, when <see cref="RabbitMqTransportOptions.Tls"/> says so.
    /// </summary>
    public static ConnectionFactory CreateFactory(this RabbitMqTransportOptions rabbit, string clientName)
    {
        ArgumentNullException.ThrowIfNull(rabbit);
        var factory = new ConnectionFactory
        {
            HostName = rabbit.Host,
            Port = rabbit.Port,
            VirtualHost = rabbit.VirtualHost,
            UserName = rabbit.Username,
            Password = rabbit.Password,
            ClientProvidedName = clientName,
        };

        // Certificates stay with the factory for as long as it makes connections: not disposed here.
#pragma warning disable CA2000
        BrokerTls.Load(rabbit)?.ApplyTo(factory.Ssl);
#pragma warning restore CA2000
        return factory;
    }
}
