namespace WorkFleet.Messaging.Configuration;

/// <summary>Message transport. Section <c>WorkFleet:Transport</c>.</summary>
public sealed class TransportOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "WorkFleet:Transport";

    /// <summary><c>RabbitMq</c> (default) or <c>InMemory</c>.</summary>
    public TransportKind Kind { get; set; } = TransportKind.RabbitMq;

    /// <summary>RabbitMQ connection settings, used when <see cref="Kind"/> is <c>RabbitMq</c>.</summary>
    public RabbitMqTransportOptions RabbitMq { get; set; } = new();
}
