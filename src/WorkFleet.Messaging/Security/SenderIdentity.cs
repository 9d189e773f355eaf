using MassTransit;

namespace WorkFleet.Messaging.Security;

/// <summary>
/// The broker-validated identity of a message's sender. Every WorkFleet host stamps the AMQP <c>user-id</c>
/// property of what it sends with the user it connected as; RabbitMQ refuses a message whose <c>user-id</c>
/// differs from the connection's user, so a receiver that finds it set knows which broker user sent the
/// message. Absent on the in-memory transport and on messages from other clients.
/// </summary>
public static class SenderIdentity
{
    /// <summary>Stamps every message sent or published by the bus with <paramref name="username"/>.</summary>
    public static void StampOutgoing(IBusFactoryConfigurator bus, string username)
    {
        ArgumentNullException.ThrowIfNull(bus);
        ArgumentException.ThrowIfNullOrWhiteSpace(username);
        bus.ConfigureSend(send => send.UseExecute(context => Stamp(context, username)));
        bus.ConfigurePublish(publish => publish.UseExecute(context => Stamp(context, username)));
    }

    /// <summary>The validated broker user that sent the message being consumed, or null when it carries none.</summary>
    public static string? Of(ConsumeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Of(context.ReceiveContext);
    }

    /// <summary>The validated broker user that sent the message being received (before deserialization), or null when it carries none.</summary>
    public static string? Of(ReceiveContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.TryGetPayload<RabbitMqBasicConsumeContext>(out var rabbit)
            && !string.IsNullOrEmpty(rabbit.Properties.UserId)
                ? rabbit.Properties.UserId
                : null;
    }

    private static void Stamp(SendContext context, string username)
    {
        if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
        {
            rabbit.BasicProperties.UserId = username;
        }
    }
}
