namespace WorkFleet.Dispatcher.Trust;

/// <summary>
/// What the dispatcher believes of workers' messages (and who may cancel a task). Section <c>WorkFleet:Dispatcher:Trust</c>. The broker's
/// permissions decide who may send heartbeats and results at all (see BrokerRoles); these checks bind each
/// worker id to the broker user that sent its first heartbeat and refuse what no honest worker sends.
/// </summary>
public sealed class SenderTrustOptions
{
    /// <summary>Configuration section.</summary>
    public const string SectionName = "WorkFleet:Dispatcher:Trust";

    /// <summary>
    /// On RabbitMQ, refuse heartbeats and results that carry no broker-validated <c>user-id</c> (every WorkFleet
    /// worker sets it). Default true. Without it, the worker-id binding cannot be checked.
    /// </summary>
    public bool RequireSenderIdentity { get; set; } = true;

    /// <summary>
    /// Broker users allowed to act as workers. Empty (the default): any user the broker lets publish heartbeats
    /// (the worker role). Set it when some users with broker rights on the heartbeat exchange are not workers.
    /// </summary>
    public IList<string> WorkerUsers { get; set; } = [];

    /// <summary>
    /// Broker users that may cancel any task (operators, other dispatchers); the dispatcher's own user always may.
    /// Default empty: a task is cancelled only by the user that submitted it. Checked only when sender identity is
    /// required (<see cref="RequireSenderIdentity"/> on RabbitMQ); otherwise anyone may cancel.
    /// </summary>
    public IList<string> OperatorUsers { get; set; } = [];

    /// <summary>
    /// Workers served by a broker user of their own (<c>workfleet broker-definitions --worker-id</c>): worker id to
    /// user, e.g. <c>Trust:PinnedWorkers:gpu-1 = workfleet-worker-gpu-1</c>. A pinned worker is believed only from
    /// its user, and a pinned user only for its workers, from the first message on (no first-sender race). These
    /// users count as worker users. Default empty: ids are bound to the user of their first accepted message.
    /// </summary>
    public IDictionary<string, string> PinnedWorkers { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>How far a heartbeat's SentAt may lie from this dispatcher's clock, either way. Default 5 min.</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest capacity (concurrent tasks) a worker may announce. Default 4096.</summary>
    public int MaxCapacity { get; set; } = 4096;

    /// <summary>The largest weight (relative speed) a worker may announce. Default 1000.</summary>
    public double MaxWeight { get; set; } = 1000;

    /// <summary>The most job types or capabilities a worker may announce. Default 256.</summary>
    public int MaxAnnouncedNames { get; set; } = 256;
}
