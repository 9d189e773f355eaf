using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using WorkFleet.Contracts;
using WorkFleet.Messaging.Configuration;

namespace WorkFleet.Dispatcher.Hosting;

/// <summary>
/// Deletes the queue of a worker that is gone for good, once its attempts were dispatched elsewhere: what
/// is left in it are superseded attempts, and RabbitMQ would otherwise keep them (and the queue) forever.
/// </summary>
public sealed class WorkerQueueJanitor(TransportOptions transport, ILogger<WorkerQueueJanitor> logger)
{
    /// <summary>Deletes <c>workfleet.worker.&lt;id&gt;</c>; failures are logged, never thrown.</summary>
    public async Task DeleteQueueAsync(string workerId, CancellationToken cancellationToken)
    {
        if (transport.Kind != TransportKind.RabbitMq)
        {
            return;
        }

        var queue = QueueNames.ForWorker(workerId);
        try
        {
            var factory = transport.RabbitMq.CreateFactory("workfleet-dispatcher-janitor");
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            var dropped = await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: cancellationToken);
            logger.LogInformation("Deleted queue {Queue} of departed worker {WorkerId} ({Dropped} superseded messages dropped)", queue, workerId, dropped);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Could not delete queue {Queue} of departed worker {WorkerId}: {Error}", queue, workerId, ex.Message);
        }
    }
}
