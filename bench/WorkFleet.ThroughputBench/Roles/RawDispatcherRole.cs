using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WorkFleet.Contracts;

namespace WorkFleet.ThroughputBench.Roles;

/// <summary>
/// The raw pipeline's dispatcher: each <see cref="SubmitTask"/> becomes an <see cref="ExecuteTask"/> sent to the
/// next worker queue in turn, each <see cref="TaskCompleted"/> a published <see cref="TaskFinished"/>. No store,
/// no balancing: what the transport alone costs for WorkFleet's hops. Prefetch and concurrency as WorkFleet's
/// dispatcher endpoints (submit 256/256, results 64/32). With a result store (a PostgreSQL connection string), each
/// result is first inserted as one row in a transaction of its own, as a job queue with a database result backend
/// does (Celery with <c>acks_late</c> and its database backend): the simplest durable record of every outcome.
/// </summary>
public static class RawDispatcherRole
{
    private const string CreateTable = "CREATE TABLE IF NOT EXISTS results (task_id uuid PRIMARY KEY, worker_id text NOT NULL, result text NOT NULL, finished_at timestamptz NOT NULL)";

    private const string InsertResult = "INSERT INTO results (task_id, worker_id, result, finished_at) VALUES ($1, $2, $3, $4) ON CONFLICT (task_id) DO NOTHING";

    /// <summary>
    /// Runs the role: <c>raw-dispatcher &lt;submit queue&gt; &lt;results queue&gt; &lt;worker queue,…&gt; [result store]</c>.
    /// </summary>
    public static async Task RunAsync(string submitQueue, string resultsQueue, string[] workerQueues, string? resultStore)
    {
        await using var store = resultStore is null ? null : NpgsqlDataSource.Create(resultStore);
        if (store is not null)
        {
            await using var create = store.CreateCommand(CreateTable);
            await create.ExecuteNonQueryAsync();
        }

        await RoleHost.RunAsync(
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
                    e.Consumer(() => new ResultConsumer(store));
                });
            });
    }

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

    private sealed class ResultConsumer(NpgsqlDataSource? store) : IConsumer<TaskCompleted>
    {
        public async Task Consume(ConsumeContext<TaskCompleted> context)
        {
            var result = context.Message;
            if (store is not null)
            {
                await using var insert = store.CreateCommand(InsertResult);
                insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = result.TaskId });
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = result.WorkerId });
                insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = result.Result.GetRawText() });
                insert.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = result.FinishedAt.UtcDateTime });
                await insert.ExecuteNonQueryAsync(context.CancellationToken);
            }

            await context.Publish(
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
