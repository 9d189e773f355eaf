using MassTransit;
using WorkFleet.Contracts;
using WorkFleet.Messaging;
using WorkFleet.Worker.Consumers;
using WorkFleet.Worker.Execution;

namespace WorkFleet.Worker.Hosting;

/// <summary>One worker's own durable queue, consumed with at most <c>Capacity</c> tasks at a time.</summary>
public sealed class WorkerEndpoints(WorkerRuntime runtime, ExecuteTaskConsumer consumer) : IEndpointContributor
{
    /// <inheritdoc />
    public void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.ReceiveEndpoint(runtime.QueueName, e =>
        {
            e.MakeDurable(quorum: false);

            // Tasks are sent to this queue only; it must not also receive every published ExecuteTask.
            e.ConfigureConsumeTopology = false;
            e.PrefetchCount = runtime.Options.Capacity;
            e.ConcurrentMessageLimit = runtime.Options.Capacity;
            e.Instance(consumer);
        });

        // Control messages (cancellation) must not wait behind the tasks in the worker's own queue.
        bus.ReceiveEndpoint($"{runtime.QueueName}.control", e =>
        {
            e.MakeTemporary();
            e.Handler<CancelTask>(context =>
            {
                runtime.Cancel(context.Message.TaskId);
                return Task.CompletedTask;
            });
        });
    }
}
