using System.Text;
using RabbitMQ.Client;
using WorkFleet.Contracts;
using WorkFleet.Messaging.Configuration;

namespace WorkFleet.Cli.Errors;

/// <summary>
/// Reads and replays the dispatcher's error queues (<c>&lt;queue&gt;_error</c>, where MassTransit puts a
/// message it could not deserialize or that failed after its retries). Listing leaves every message in place.
/// </summary>
public sealed class ErrorQueues(RabbitMqTransportOptions rabbit)
{
    /// <summary>The error queues WorkFleet's own endpoints can produce.</summary>
    public static IReadOnlyList<string> Default { get; } = [QueueNames.Submit + "_error", QueueNames.Results + "_error"];

    /// <summary>Up to <paramref name="limit"/> messages per queue, without removing them.</summary>
    public async Task<IReadOnlyList<ErrorMessage>> ListAsync(IEnumerable<string> queues, int limit, CancellationToken cancellationToken)
    {
        var found = new List<ErrorMessage>();
        await using var connection = await Factory().CreateConnectionAsync(cancellationToken);
        foreach (var queue in queues)
        {
            // Unacknowledged gets return to the queue, in order, when the channel closes.
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            if (await CountAsync(connection, queue, cancellationToken) is null)
            {
                continue;
            }

            for (var i = 0; i < limit && await channel.BasicGetAsync(queue, autoAck: false, cancellationToken) is { } message; i++)
            {
                found.Add(Describe(queue, message));
            }
        }

        return found;
    }

    /// <summary>
    /// Sends messages of <paramref name="errorQueue"/> back to the queue they failed on (all, or those whose
    /// message id is in <paramref name="ids"/>) and removes them from the error queue. Returns how many.
    /// </summary>
    public async Task<int> ReplayAsync(string errorQueue, IReadOnlySet<string>? ids, CancellationToken cancellationToken)
    {
        var target = errorQueue.EndsWith("_error", StringComparison.Ordinal) ? errorQueue[..^"_error".Length]
            : throw new ArgumentException($"'{errorQueue}' is not an error queue (expected a name ending in _error).", nameof(errorQueue));
        await using var connection = await Factory().CreateConnectionAsync(cancellationToken);

        // Only what is there now: a replayed message that fails again comes back and must not be replayed twice.
        if (await CountAsync(connection, errorQueue, cancellationToken) is not { } present)
        {
            return 0;
        }

        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        var replayed = 0;
        for (var seen = 0u; seen < present && await channel.BasicGetAsync(errorQueue, autoAck: false, cancellationToken) is { } message; seen++)
        {
            if (ids is not null && (message.BasicProperties.MessageId is not { } id || !ids.Contains(id)))
            {
                continue;
            }

            var properties = new BasicProperties(message.BasicProperties);
            properties.Headers = properties.Headers?
                .Where(h => !h.Key.StartsWith("MT-Fault", StringComparison.Ordinal) && h.Key != "MT-Reason")
                .ToDictionary(h => h.Key, h => h.Value);
            await channel.BasicPublishAsync(exchange: "", routingKey: target, mandatory: true, basicProperties: properties, body: message.Body, cancellationToken: cancellationToken);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
            replayed++;
        }

        return replayed;
    }

    /// <summary>Messages ready in the queue, or null when it does not exist.</summary>
    private static async Task<uint?> CountAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        // A passive declare of a missing queue closes its channel, so probe on a throwaway one.
        await using var probe = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            return (await probe.QueueDeclarePassiveAsync(queue, cancellationToken)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return null;
        }
    }

    private static ErrorMessage Describe(string queue, BasicGetResult message)
    {
        var headers = message.BasicProperties.Headers;
        string? Header(string name) => headers is not null && headers.TryGetValue(name, out var value) ? value switch
        {
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            null => null,
            _ => value.ToString(),
        } : null;

        return new ErrorMessage(
            queue,
            message.BasicProperties.MessageId,
            Header("MT-Fault-Message") ?? Header("MT-Reason"),
            Header("MT-Fault-ExceptionType"),
            Header("MT-Fault-Timestamp"),
            Encoding.UTF8.GetString(message.Body.Span));
    }

    private ConnectionFactory Factory() => rabbit.CreateFactory("workfleet-cli-errors");
}
