using MassTransit;
using WorkFleet.Messaging;

namespace WorkFleet.Client;

/// <summary>A temporary queue that receives every published <c>TaskFinished</c> for this client process.</summary>
public sealed class ClientEndpoints(TaskFinishedConsumer consumer) : IEndpointContributor
{
    private readonly string _queue = $"workfleet.client.{Environment.MachineName.ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <inheritdoc />
    public void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.ReceiveEndpoint(_queue, e =>
        {
            e.MakeTemporary();
            e.Instance(consumer);
        });
    }
}
