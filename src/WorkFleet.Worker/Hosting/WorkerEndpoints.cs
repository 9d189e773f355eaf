using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkFleet.Contracts;
using WorkFleet.Messaging;
using WorkFleet.Worker.Consumers;
using WorkFleet.Worker.Execution;

namespace WorkFleet.Worker.Hosting;

/// <summary>
/// One worker's own durable queue, consumed with at most <c>Capacity</c> tasks running at a time (twice as many messages
/// held, the rest waiting for a run slot), and its control queue
/// (cancellations, and the drain command that makes it leave as on SIGTERM).
/// </summary>
public sealed class WorkerEndpoints(
    WorkerRuntime runtime,
    ExecuteTaskConsumer consumer,
    WorkerRuntimes hosted,
    IHostApplicationLifetime lifetime,
    ILogger<WorkerEndpoints> logger) : IEndpointContributor
{
    /// <summary>Messages of its queue a worker of <paramref name="capacity"/> holds at once: 2 × capacity.</summary>
    public static int HeldMessages(int capacity) => (int)Math.Min(2L * capacity, ushort.MaxValue);

    /// <inheritdoc />
    public void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.ReceiveEndpoint(runtime.QueueName, e =>
        {
            e.MakeDurable(quorum: false);

            // Tasks are sent to this queue only; it must not also receive every published ExecuteTask.
            e.ConfigureConsumeTopology = false;
            // Twice the capacity: the attempts a dispatcher prefetches to a worker of short tasks (its PrefetchPerSlot)
            // wait here for one of the Capacity run slots instead of in the broker; more stay in the queue.
            e.PrefetchCount = HeldMessages(runtime.Options.Capacity);
            e.ConcurrentMessageLimit = HeldMessages(runtime.Options.Capacity);
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
            e.Handler<DrainWorker>(context =>
            {
                if (!string.Equals(context.Message.WorkerId, runtime.WorkerId, StringComparison.Ordinal))
                {
                    return Task.CompletedTask;
                }

                var reason = context.Message.Reason ?? "no reason given";
                if (hosted.All.Count == 1)
                {
                    // The host's stop runs the drain (HeartbeatPublisher): Draining, finish what is held, Stopped, exit 0.
                    logger.LogInformation("Worker {WorkerId}: drain requested ({Reason}); finishing what it holds, then stopping.", runtime.WorkerId, reason);
                    lifetime.StopApplication();
                }
                else
                {
                    // Stopping the process would stop the other workers it hosts (the embedded demo): this one only
                    // stops taking work and reports Draining until the process ends.
                    logger.LogWarning("Worker {WorkerId}: drain requested ({Reason}); this process hosts {Count} workers, so it stays up and this worker takes no new tasks.", runtime.WorkerId, reason, hosted.All.Count);
                    runtime.BeginDrain();
                }

                return Task.CompletedTask;
            });
        });
    }
}
