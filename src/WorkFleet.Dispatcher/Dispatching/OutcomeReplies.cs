using System.Text;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Observability;
using WorkFleet.Dispatcher.Trust;
using WorkFleet.Messaging.Configuration;
using WorkFleet.Messaging.Security;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>
/// The reply queues of producers: which one a submit names (checked by <see cref="ReplyAddresses"/>, refusals logged
/// and counted in <c>workfleet_messages_refused_total</c>), and the address an outcome is sent to, always a queue of
/// that name on the dispatcher's own broker. A checked reply queue whose submit carried
/// <see cref="ProducerHeaders.OutcomeBatches"/> is remembered in <see cref="OutcomeBatchQueues"/>.
/// </summary>
public sealed class OutcomeReplies(
    IOptions<SenderTrustOptions> options, TransportOptions transport, OutcomeBatchQueues batchQueues, DispatcherMetrics metrics, ILogger<OutcomeReplies> logger)
{
    private readonly bool _identityRequired = options.Value.RequireSenderIdentity && transport.Kind == TransportKind.RabbitMq;

    /// <summary>The route of the task submitted by the message being consumed: its checked reply queue and its sender.</summary>
    public ReplyRoute RouteOf(ConsumeContext context, Guid taskId)
    {
        ArgumentNullException.ThrowIfNull(context);
        return RememberBatches(RouteOf(SenderIdentity.Of(context), context.ResponseAddress, taskId, context.MessageId), context.Headers);
    }

    /// <summary>
    /// The route of a task whose submit was not deserialized (over the size limit): the sender from the transport, the
    /// reply address found in the body.
    /// </summary>
    public ReplyRoute RouteOf(ReceiveContext context, Uri? responseAddress, Guid taskId)
    {
        ArgumentNullException.ThrowIfNull(context);
        return RememberBatches(RouteOf(SenderIdentity.Of(context), responseAddress, taskId, context.GetMessageId()), context.TransportHeaders);
    }

    /// <summary>Whether <paramref name="headers"/> say the producer accepts <see cref="TaskFinishedBatch"/> (<see cref="ProducerHeaders.OutcomeBatches"/>).</summary>
    public static bool AcceptsBatches(Headers headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return headers.TryGetHeader(ProducerHeaders.OutcomeBatches, out var value) && value switch
        {
            bool flag => flag,
            string text => bool.TryParse(text, out var flag) && flag,
            byte[] bytes => bool.TryParse(Encoding.UTF8.GetString(bytes), out var flag) && flag,
            _ => false,
        };
    }

    private ReplyRoute RememberBatches(ReplyRoute route, Headers headers)
    {
        if (route.ReplyTo is { } queue && AcceptsBatches(headers))
        {
            batchQueues.Accept(queue);
        }

        return route;
    }

    private ReplyRoute RouteOf(string? sender, Uri? responseAddress, Guid taskId, Guid? messageId)
    {
        if (ReplyAddresses.QueueOf(responseAddress) is not { } queue)
        {
            return new ReplyRoute(null, sender);
        }

        if (ReplyAddresses.Problem(queue, sender, _identityRequired) is { } problem)
        {
            metrics.MessageRefused();
            logger.LogWarning("Refused the reply address of task {TaskId} from broker user '{Sender}' (message {MessageId}): {Problem}; its outcome will only be stored",
                taskId, sender ?? "unknown", messageId, problem);
            return new ReplyRoute(null, sender);
        }

        return new ReplyRoute(queue, sender);
    }

    /// <summary>Where the outcome of task <paramref name="taskId"/> is sent, or null when nowhere.</summary>
    public Uri? AddressOf(ReplyRoute route, Guid taskId)
    {
        ArgumentNullException.ThrowIfNull(route);
        if (route.ReplyTo is not { } queue)
        {
            return null;
        }

        // Checked when stored; checked again so that a row written by anything else cannot aim outcomes elsewhere.
        if (ReplyAddresses.Problem(queue, route.SubmittedBy, _identityRequired) is { } problem)
        {
            logger.LogWarning("Task {TaskId}: stored reply queue not used: {Problem}", taskId, problem);
            return null;
        }

        // The reply queue's own exchange (MassTransit binds one of the same name to every receive endpoint's queue),
        // declared as the client declared it: temporary, so the declaration matches and never outlives the client.
        return transport.Kind == TransportKind.RabbitMq ? new Uri($"exchange:{queue}?temporary=true") : new Uri($"queue:{queue}");
    }
}
