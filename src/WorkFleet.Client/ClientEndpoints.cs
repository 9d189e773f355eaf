using MassTransit;
using WorkFleet.Messaging;

namespace WorkFleet.Client;

/// <summary>
/// The client's temporary reply queue (<see cref="ClientReplyQueue"/>): it receives only the <c>TaskFinished</c> and
/// <c>TaskFinishedBatch</c> the dispatcher sends to it, never the outcomes of other producers, so it binds no
/// message-type exchange.
/// </summary>
public sealed class ClientEndpoints(TaskFinishedConsumer consumer, ClientReplyQueue replyQueue) : IEndpointContributor
{
    /// <inheritdoc />
    public void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.ReceiveEndpoint(replyQueue.Name, e =>
        {
            e.MakeTemporary();
            e.ConfigureConsumeTopology = false;
            e.Instance(consumer);
            replyQueue.Address = e.InputAddress;
        });
    }
}
