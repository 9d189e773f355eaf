using MassTransit;
using MassTransit.Context;
using RabbitMQ.Client;

namespace WorkFleet.Messaging.Security;

/// <summary>
/// A received message as the move to <c>_error</c> or <c>_skipped</c> reads it: its RabbitMQ properties without
/// <c>user-id</c>, the sender kept in <see cref="UserlessMoves.SenderHeader"/> (<see cref="UserlessMoves"/>).
/// </summary>
internal class UserlessReceiveContext(ReceiveContext context) : ReceiveContextProxy(context)
{
    /// <inheritdoc />
    public override bool TryGetPayload<T>(out T payload)
    {
        if (typeof(T) == typeof(RabbitMqBasicConsumeContext)
            && base.TryGetPayload(out RabbitMqBasicConsumeContext? received)
            && received?.Properties.UserId is { Length: > 0 } sender)
        {
            payload = (T)(object)new Userless(received, sender);
            return true;
        }

        return base.TryGetPayload(out payload);
    }

    private sealed class Userless(RabbitMqBasicConsumeContext received, string sender) : RabbitMqBasicConsumeContext
    {
        public string Exchange => received.Exchange;

        public string RoutingKey => received.RoutingKey ?? string.Empty;

        public string ConsumerTag => received.ConsumerTag;

        public ulong DeliveryTag => received.DeliveryTag;

        public IReadOnlyBasicProperties Properties { get; } = new BasicProperties(received.Properties)
        {
            UserId = null,
            Headers = new Dictionary<string, object?>(received.Properties.Headers ?? new Dictionary<string, object?>(), StringComparer.OrdinalIgnoreCase)
            {
                [UserlessMoves.SenderHeader] = sender,
            },
        };
    }
}

/// <summary>A failed received message as the move to <c>_error</c> reads it (<see cref="UserlessReceiveContext"/>).</summary>
internal sealed class UserlessExceptionReceiveContext(ExceptionReceiveContext context) : UserlessReceiveContext(context), ExceptionReceiveContext
{
    /// <inheritdoc />
    public Exception Exception => context.Exception;

    /// <inheritdoc />
    public DateTime ExceptionTimestamp => context.ExceptionTimestamp;

    /// <inheritdoc />
    public ExceptionInfo ExceptionInfo => context.ExceptionInfo;

    /// <inheritdoc />
    public SendHeaders ExceptionHeaders => context.ExceptionHeaders;
}
