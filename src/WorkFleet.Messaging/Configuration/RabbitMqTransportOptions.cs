namespace WorkFleet.Messaging.Configuration;

/// <summary>RabbitMQ connection. Section <c>WorkFleet:Transport:RabbitMq</c>.</summary>
public sealed class RabbitMqTransportOptions
{
    /// <summary>Broker host name. Default <c>localhost</c>.</summary>
    public string Host { get; set; } = "localhost";

    /// <summary>AMQP port. Default 5672.</summary>
    public int Port { get; set; } = 5672;

    /// <summary>Virtual host. Default <c>/</c>.</summary>
    public string VirtualHost { get; set; } = "/";

    /// <summary>User name. Default <c>workfleet</c> (as in docker-compose.yml).</summary>
    public string Username { get; set; } = "workfleet";

    /// <summary>Password. Default <c>workfleet</c> (as in docker-compose.yml).</summary>
    public string Password { get; set; } = "workfleet";

    /// <summary>Declare the submit and results queues as quorum queues (for a broker cluster). Default false.</summary>
    public bool UseQuorumQueues { get; set; }
}
