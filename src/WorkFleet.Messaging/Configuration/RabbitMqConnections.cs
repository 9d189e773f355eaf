using RabbitMQ.Client;

namespace WorkFleet.Messaging.Configuration;

/// <summary>Plain RabbitMQ.Client connections beside the bus (watchdog, janitor, CLI tools), from the same settings.</summary>
public static class RabbitMqConnections
{
    /// <summary>A connection factory for <paramref name="rabbit"/>, naming its connections <paramref name="clientName"/> in the broker.</summary>
    public static ConnectionFactory CreateFactory(this RabbitMqTransportOptions rabbit, string clientName)
    {
        ArgumentNullException.ThrowIfNull(rabbit);
        return new ConnectionFactory
        {
            HostName = rabbit.Host,
            Port = rabbit.Port,
            VirtualHost = rabbit.VirtualHost,
            UserName = rabbit.Username,
            Password = rabbit.Password,
            ClientProvidedName = clientName,
        };
    }
}
