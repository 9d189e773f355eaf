using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Consumers;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Messaging;
using WorkFleet.Messaging.Configuration;

namespace WorkFleet.Dispatcher.Hosting;

/// <summary>The dispatcher's queues: the durable submit, results and cancel queues, and its own heartbeat queue.</summary>
public sealed class DispatcherEndpoints(IOptions<DispatcherOptions> options, TransportOptions transport) : IEndpointContributor
{
    /// <inheritdoc />
    public void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(bus);
        var settings = options.Value;
        var quorum = transport.RabbitMq.UseQuorumQueues;
        var delivery = context.GetRequiredService<DeliveryFilter>();

        bus.ReceiveEndpoint(QueueNames.Submit, e =>
        {
            e.MakeDurable(quorum);
            e.BindInbound(QueueNames.SubmitExchange);

            // First in the receive pipe, before any deserializer: a body over MaxSubmitBytes is never deserialized.
            e.ConfigureReceive(r => r.UseFilter(context.GetRequiredService<SubmitSizeFilter>()));
            e.UseFilter(delivery);

            // Producers without MassTransit may publish the bare SubmitTask JSON (content type application/json).
            e.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: false);

            // Held, unacknowledged messages are the tasks waiting for a slot; the rest wait in the queue.
            e.PrefetchCount = settings.SubmitConcurrency;
            e.ConcurrentMessageLimit = settings.SubmitConcurrency;
            if (e is IRabbitMqReceiveEndpointConfigurator rabbit && SubmitPriorities.Of(settings) is { } priority)
            {
                rabbit.ConsumerPriority = priority;
            }

            e.UseMessageRetry(r =>
            {
                r.Ignore<InvalidTaskException>();
                r.Exponential(8, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(300));
            });
            e.Instance(context.GetRequiredService<SubmitTaskConsumer>());
        });

        bus.ReceiveEndpoint(QueueNames.Results, e =>
        {
            e.MakeDurable(quorum);
            e.BindInbound(QueueNames.ResultsExchange);
            e.UseFilter(delivery);
            e.PrefetchCount = 64;
            e.ConcurrentMessageLimit = 32;
            e.UseMessageRetry(r => r.Exponential(8, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(300)));
            e.Instance(context.GetRequiredService<TaskResultConsumer>());
        });

        // Cancellation requests, apart from the submit queue so that they do not wait behind its backlog (and so that
        // a raw-JSON SubmitTask is never read as a CancelTask of its own id). Competing consumers: the store decides.
        // No consume topology: the CancelTask the dispatcher publishes for workers must not come back here.
        bus.ReceiveEndpoint(QueueNames.Cancel, e =>
        {
            e.MakeDurable(quorum);
            e.BindInbound(QueueNames.CancelExchange);
            e.ConfigureConsumeTopology = false;
            e.UseFilter(delivery);
            e.PrefetchCount = 16;
            e.ConcurrentMessageLimit = 8;
            e.UseMessageRetry(r => r.Exponential(8, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(300)));
            e.Instance(context.GetRequiredService<CancelTaskConsumer>());
        });

        // Every dispatcher sees every heartbeat and every assigned and ended attempt: each has its own queue bound to
        // those exchanges, deleted when it disconnects (the fleet view is rebuilt from the store at start).
        bus.ReceiveEndpoint($"{QueueNames.Heartbeats}.{settings.DispatcherId}", e =>
        {
            e.MakeTemporary();
            e.UseFilter(delivery);

            // A large fleet sends a steady stream of small messages: deliveries are not held up waiting for acks.
            e.PrefetchCount = 256;
            e.ConcurrentMessageLimit = 32;
            e.Instance(context.GetRequiredService<WorkerHeartbeatConsumer>());
            e.Instance(context.GetRequiredService<AttemptEndedConsumer>());
            e.Instance(context.GetRequiredService<AttemptAssignedConsumer>());
            e.Instance(context.GetRequiredService<DispatcherHeartbeatConsumer>());
            e.Instance(context.GetRequiredService<DrainWorkerConsumer>());
        });
    }
}
