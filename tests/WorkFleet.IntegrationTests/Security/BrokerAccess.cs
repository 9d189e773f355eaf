using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace WorkFleet.IntegrationTests.Security;

/// <summary>What the broker answers a user who tries something: refused (with its reply code) or allowed.</summary>
public static class BrokerAccess
{
    /// <summary>AMQP reply code ACCESS_REFUSED.</summary>
    public const ushort AccessRefused = 403;

    /// <summary>AMQP reply code PRECONDITION_FAILED (e.g. a user-id that is not the connection's user).</summary>
    public const ushort PreconditionFailed = 406;

    /// <summary>
    /// Runs <paramref name="attempt"/> on a fresh channel with publisher confirms and returns the reply code the broker
    /// closed the channel with, or null when it allowed the operation (the channel stayed open).
    /// </summary>
    public static async Task<ushort?> TryAsync(RabbitMqEndpoint user, Func<IChannel, Task> attempt)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(attempt);
        await using var connection = await user.CreateConnectionFactory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        try
        {
            await attempt(channel);
        }
        catch (Exception exception) when (exception is OperationInterruptedException or AlreadyClosedException or PublishException)
        {
            // The broker closed the channel: its close reason below says why.
        }

        // A refused publish closes the channel asynchronously; a confirmed one leaves it open. A round trip settles it.
        if (channel.IsOpen)
        {
            try
            {
                await channel.ExchangeDeclarePassiveAsync("amq.direct");
            }
            catch (Exception exception) when (exception is OperationInterruptedException or AlreadyClosedException)
            {
            }
        }

        return channel.IsOpen ? null : channel.CloseReason?.ReplyCode;
    }

    /// <summary>Publishes <paramref name="body"/> to <paramref name="exchange"/>, optionally claiming <paramref name="userId"/>.</summary>
    public static Func<IChannel, Task> Publish(string exchange, byte[] body, string? userId = null) => channel =>
        channel.BasicPublishAsync(exchange, string.Empty, mandatory: false, new BasicProperties { UserId = userId, ContentType = "application/vnd.masstransit+json" }, body).AsTask();

    /// <summary>Starts consuming <paramref name="queue"/>.</summary>
    public static Func<IChannel, Task> Consume(string queue) => async channel =>
        await channel.BasicConsumeAsync(queue, autoAck: false, new AsyncEventingBasicConsumer(channel));
}
