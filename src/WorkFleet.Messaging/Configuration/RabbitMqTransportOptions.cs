namespace WorkFleet.Messaging.Configuration;

/// <summary>RabbitMQ connection. Section <c>WorkFleet:Transport:RabbitMq</c>.</summary>
public sealed class RabbitMqTransportOptions
{
    /// <summary>Broker host name. Default <c>localhost</c>.</summary>
    public string Host { get; set; } = "localhost";

    /// <summary>AMQP port. Default 5672 (a broker's TLS listener is usually 5671: see <see cref="Tls"/>).</summary>
    public int Port { get; set; } = 5672;

    /// <summary>Virtual host. Default <c>/</c>.</summary>
    public string VirtualHost { get; set; } = "/";

    /// <summary>User name. Default <c>workfleet</c> (as in docker-compose.yml).</summary>
    public string Username { get; set; } = "workfleet";

    /// <summary>
    /// Password. No default: set it with <c>WorkFleet__Transport__RabbitMq__Password</c> or a file named by
    /// <c>WorkFleet__Transport__RabbitMq__Password_FILE</c>; a host refuses to start with an empty or known default one.
    /// </summary>
    public string Password { get; set; } = string.Empty;

    /// <summary>TLS to the broker (amqps), section <c>WorkFleet:Transport:RabbitMq:Tls</c>. Default off.</summary>
    public RabbitMqTlsOptions Tls { get; set; } = new();

    /// <summary>Declare the submit and results queues as quorum queues (for a broker cluster). Default false.</summary>
    public bool UseQuorumQueues { get; set; }

    /// <summary>
    /// AMQP heartbeat: a connection that has been silent for about two of these is taken as dead, so a broker or
    /// network that vanishes without closing the connection is noticed. Default 10 s.
    /// </summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one attempt to open a connection may take before it counts as failed. Default 5 s.</summary>
    public TimeSpan ConnectionTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a broker operation (declaring a queue or exchange, opening a channel) may wait for its answer.
    /// On a connection that died unnoticed it waits this long, holding up the publish or endpoint behind it
    /// (RabbitMQ.Client's default is 20 s). Default 5 s.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a send that must land (an attempt to a worker, a result, an outcome, a submit) waits for the broker to
    /// take the message before it counts as not sent and is handled as any failed send (given back, tried again).
    /// RabbitMQ.Client 7.2.2 can otherwise leave it waiting for ever after a connection drop
    /// (<see cref="BrokerConfirmation"/>). Default 15 s.
    /// </summary>
    public TimeSpan ConfirmTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// After a lost connection, how long the broker must accept connections again while a receive endpoint is
    /// still down before the endpoint is restarted in process (instead of waiting out MassTransit's reconnect
    /// back-off, up to 30 s). Default 2 s.
    /// </summary>
    public TimeSpan EndpointRestartDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a receive endpoint whose channel closed waits for the deliveries it was handling before it lets
    /// go of them and reconnects (they can no longer be acknowledged; the broker delivers them again); also how
    /// long stopping the bus waits. Default 10 s.
    /// </summary>
    public TimeSpan DeliveryStopTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
