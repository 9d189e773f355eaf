using WorkFleet.Contracts;
using WorkFleet.Messaging.Configuration;

namespace WorkFleet.Client;

/// <summary>
/// This client process's own reply queue, <c>workfleet.client.{user}.{machine}-{random}</c>: the dispatcher sends the
/// outcome of each task this client submits there, and the broker lets only <c>{user}</c> read it. The user part is
/// the broker user the client connects as (<c>local</c> on the in-memory transport).
/// </summary>
public sealed class ClientReplyQueue
{
    /// <summary>The user part on the in-memory transport, where there are no broker users.</summary>
    public const string InMemoryUser = "local";

    /// <summary>Names the reply queue of a client that connects with <paramref name="transport"/>.</summary>
    public ClientReplyQueue(TransportOptions transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var user = transport.Kind == TransportKind.RabbitMq ? transport.RabbitMq.Username : InMemoryUser;
        var instance = QueueNames.NamePart(Environment.MachineName.ToLowerInvariant()) + "-" + Guid.NewGuid().ToString("N")[..8];
        Name = QueueNames.ClientPrefixFor(user) + instance;
    }

    /// <summary>The queue's name.</summary>
    public string Name { get; }

    /// <summary>The queue's address once the bus has configured its endpoint; null before, and when the client does not listen.</summary>
    public Uri? Address { get; internal set; }
}
