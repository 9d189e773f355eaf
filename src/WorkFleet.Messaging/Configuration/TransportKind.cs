namespace WorkFleet.Messaging.Configuration;

/// <summary>Which message transport carries the fleet's messages.</summary>
public enum TransportKind
{
    /// <summary>RabbitMQ: production (default).</summary>
    RabbitMq,

    /// <summary>MassTransit's in-process transport: the embedded demo; nothing survives the process.</summary>
    InMemory,
}
