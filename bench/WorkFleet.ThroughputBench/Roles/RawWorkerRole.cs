using MassTransit;
using WorkFleet.Contracts;

namespace WorkFleet.ThroughputBench.Roles;

/// <summary>
/// The raw pipeline's worker: takes <see cref="ExecuteTask"/> from its own queue (prefetch and concurrency 4, as a
/// WorkFleet worker of capacity 4) and sends a <see cref="TaskCompleted"/> of the size the bench job's result has.
/// </summary>
public static class RawWorkerRole
{
    /// <summary>Runs the role: <c>raw-worker &lt;worker id&gt; &lt;its queue&gt; &lt;results queue&gt;</c>.</summary>
    public static Task RunAsync(string workerId, string queue, string resultsQueue) =>
        RoleHost.RunAsync(
            _ => { },
            (_, bus) => bus.ReceiveEndpoint(queue, e =>
            {
                e.ConfigureConsumeTopology = false;
                e.PrefetchCount = 4;
                e.ConcurrentMessageLimit = 4;
                e.Consumer(() => new ExecuteConsumer(workerId, new Uri($"queue:{resultsQueue}")));
            }));

    private sealed class ExecuteConsumer(string workerId, Uri results) : IConsumer<ExecuteTask>
    {
        public async Task Consume(ConsumeContext<ExecuteTask> context)
        {
            var started = DateTimeOffset.UtcNow;
            var endpoint = await context.GetSendEndpoint(results);
            await endpoint.Send(
                new TaskCompleted
                {
                    TaskId = context.Message.TaskId,
                    Attempt = context.Message.Attempt,
                    WorkerId = workerId,
                    Result = BenchPayload.Result,
                    StartedAt = started,
                    FinishedAt = DateTimeOffset.UtcNow,
                },
                context.CancellationToken);
        }
    }
}
