using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Contracts;

namespace WorkFleet.ThroughputBench.Roles;

/// <summary>
/// The raw pipeline's dispatcher: each <see cref="SubmitTask"/> becomes an <see cref="ExecuteTask"/> sent to the
/// next worker queue in turn, each <see cref="TaskCompleted"/> a published <see cref="TaskFinished"/>. No store,
/// no balancing: what the transport alone costs for WorkFleet's hops. Prefetch and concurrency as WorkFleet's
/// dispatcher endpoints (submit 256/256, results 64/32).
/// </summary>
public static class RawDispatcherRole
{
    /// <summary>Runs the role: <c>raw-dispatcher &lt;submit queue&gt; &lt;results queue&gt; &lt;worker queue,…&gt;</c>.</summary>
    public static Task RunAsync(string submitQueue, string resultsQueue, string[] workerQueues) =>
        RoleHost.RunAsync(
            services => services.AddSingleton(new WorkerRotation(workerQueues)),
            (context, bus) =>
            {
                bus.ReceiveEndpoint(submitQueue, e =>
                {
                    e.ConfigureConsumeTopology = false;
                    e.PrefetchCount = 256;
                    e.ConcurrentMessageLimit = 256;
                    e.Consumer(() => new SubmitConsumer(context.GetRequiredService<WorkerRotation>()));
                });
                bus.ReceiveEndpoint(resultsQueue, e =>
                {
                    e.ConfigureConsumeTopology = false;
                    e.PrefetchCount = 64;
                    e.ConcurrentMessageLimit = 32;
                    e.Consumer<ResultConsumer>();
                });
            });

    /// <summary>Round-robin over the worker queues.</summary>
    private sealed class WorkerRotation(string[] queues)
    {
        private readonly (string Id, Uri Queue)[] _workers = [.. queues.Select(q => (q, new Uri($"queue:{q}")))];
        private long _next = -1;

        public (string Id, Uri Queue) Next() => _workers[(int)(Interlocked.Increment(ref _next) % _workers.Length)];
    }

    private sealed class SubmitConsumer(WorkerRotation workers) : IConsumer<SubmitTask>
    {
        public async Task Consume(ConsumeContext<SubmitTask> context)
        {
            var task = context.Message;
            var (workerId, queue) = workers.Next();
            var endpoint = await context.GetSendEndpoint(queue);
            await endpoint.Send(
                new ExecuteTask
                {
                    TaskId = task.TaskId,
                    Attempt = 1,
                    WorkerId = workerId,
                    JobType = task.JobType,
                    Payload = task.Payload,
                    Timeout = task.Timeout,
                    DispatchedAt = DateTimeOffset.UtcNow,
                },
                context.CancellationToken);
        }
    }

    private sealed class ResultConsumer : IConsumer<TaskCompleted>
    {
        public Task Consume(ConsumeContext<TaskCompleted> context)
        {
            var result = context.Message;
            return context.Publish(
                new TaskFinished
                {
                    TaskId = result.TaskId,
                    Outcome = TaskOutcome.Succeeded,
                    Result = result.Result,
                    Attempt = result.Attempt,
                    WorkerId = result.WorkerId,
                    FinishedAt = DateTimeOffset.UtcNow,
                },
                context.CancellationToken);
        }
    }
}
