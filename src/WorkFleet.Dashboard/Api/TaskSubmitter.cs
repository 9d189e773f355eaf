using MassTransit;
using WorkFleet.Contracts;
using WorkFleet.Messaging;
using WorkFleet.Messaging.Configuration;
using WorkFleet.Messaging.Submitting;

namespace WorkFleet.Dashboard.Api;

/// <summary>
/// Sends the HTTP API's tasks as AMQP producers do: <see cref="SubmitTask"/> to the submit exchange (the submit queue
/// on the in-memory transport), so they are stored, deduplicated by id and dispatched by whichever dispatcher takes them.
/// </summary>
public sealed class TaskSubmitter(IBus bus, TransportOptions transport)
{
    /// <summary>Sends <paramref name="tasks"/>, packed into few messages (<see cref="SubmitPacking"/>); returns when the broker has confirmed them.</summary>
    public async Task SendAsync(IReadOnlyList<SubmitTask> tasks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var endpoint = await bus.GetSendEndpoint(FleetAddresses.Submit(transport));
        await endpoint.SendPackedAsync(tasks, stamp: null, transport.RabbitMq.ConfirmTimeout, cancellationToken);
    }
}
