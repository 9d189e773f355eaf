using MassTransit;
using WorkFleet.Contracts;
using WorkFleet.Messaging;
using WorkFleet.Messaging.Configuration;

namespace WorkFleet.Dashboard.Api;

/// <summary>
/// Sends the HTTP API's tasks as AMQP producers do: <see cref="SubmitTask"/> to the submit exchange (the submit queue
/// on the in-memory transport), so they are stored, deduplicated by id and dispatched by whichever dispatcher takes them.
/// </summary>
public sealed class TaskSubmitter(IBus bus, TransportOptions transport)
{
    private const int SendBatchSize = 256;

    /// <summary>Sends <paramref name="tasks"/>; returns when the broker has confirmed them.</summary>
    public async Task SendAsync(IReadOnlyList<SubmitTask> tasks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var endpoint = await bus.GetSendEndpoint(FleetAddresses.Submit(transport));
        foreach (var batch in tasks.Chunk(SendBatchSize))
        {
            await endpoint.SendBatch(batch, cancellationToken);
        }
    }
}
