using System.Text;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;

namespace WorkFleet.IntegrationTests;

/// <summary>
/// Attempts travel to a worker in one <see cref="ExecuteTaskBatch"/> when its slots were granted while the previous
/// message to it was on its way: the worker runs each as if it had come alone and reports every result.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class ExecuteBatchTests(InfrastructureFixture infrastructure)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task WorkerGivenABatch_RunsEveryAttempt_ReportsEachResult_AndAcknowledgesIt()
    {
        // Arrange: a worker alone, and a queue of the test's own bound to where workers send results.
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("execbatch"));
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Capacity) = ("w1", 4)));
        await using var tap = await ResultsTap.OpenAsync(rabbit);
        var attempts = Enumerable.Range(0, 3).Select(i => Attempt(TestJobs.Mixed(i).JobType, TestJobs.Mixed(i).Payload)).ToList();

        // Act: what the dispatcher sends when three slots of w1 were granted at once.
        await tap.SendBatchAsync(attempts);

        // Assert: a result for each attempt (however the worker packed them), and the batch acknowledged.
        var runs = await tap.RunsAsync(attempts);
        Assert.Equal(attempts.Select(a => a.TaskId).Order(), runs.Keys.Order());
        Assert.All(runs.Values, r => Assert.Null(r.Error));
        await Eventually.UntilAsync(
            async () => (await infrastructure.RabbitMqCtlAsync("list_queues", "-p", rabbit.VirtualHost, "name", "messages", "-q"))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).Single(f => f[0] == QueueNames.ForWorker("w1"))[1].Trim(),
            n => n == "0",
            TimeSpan.FromSeconds(30),
            "the batch acknowledged");
    }

    [Fact]
    public async Task BatchLargerThanCapacity_RunsEveryAttempt_NeverMoreThanCapacityAtOnce()
    {
        // Arrange: a worker of capacity 2. Dispatchers that share a fleet may together grant it more slots than it
        // has for a moment, and what they grant may travel in one batch: the worker still runs only 2 at once.
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("execcap"));
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Capacity, o.EnableDiagnosticJobs) = ("w1", 2, true)));
        await using var tap = await ResultsTap.OpenAsync(rabbit);
        var attempts = Enumerable.Range(0, 6).Select(_ => Attempt("diagnostics.sleep", TestJobs.Parse("""{"ms":200}"""))).ToList();

        // Act
        await tap.SendBatchAsync(attempts);

        // Assert: every attempt succeeded, and the worker's own start and finish times never overlap more than 2 deep.
        var runs = await tap.RunsAsync(attempts);
        Assert.All(runs.Values, r => Assert.Null(r.Error));
        Assert.InRange(RecordedAttempts.MaxConcurrent(runs.Values.Select(r => (r.Start, r.End))), 1, 2);
    }

    [Fact]
    public async Task ManyTasksOnOneWorker_EveryAttemptDeliveredAndRecordedOnce_WithinCapacity()
    {
        // Arrange: what the worker consumed, batches counted as the attempts they carry.
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("execmany"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("execmany"));
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database));
        var worker = await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Capacity) = ("w1", 8));
        hosts.Add(worker);
        var consumed = new ConsumedAttempts();
        using var observing = worker.Services.GetRequiredService<IBus>().ConnectConsumeObserver(consumed);
        var producer = await FleetHosts.StartClientAsync(rabbit);
        hosts.Add(producer);
        var client = producer.Services.GetRequiredService<WorkFleetClient>();
        var tasks = Enumerable.Range(0, 400).Select(i => client.CreateTask(TestJobs.Mixed(i).JobType, TestJobs.Mixed(i).Payload)).ToList();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var outcomes = tasks.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();

        // Act
        await client.SubmitManyAsync(tasks);
        var finished = await Task.WhenAll(outcomes);

        // Assert: each attempt reached the worker once, whether alone or in a batch, and was recorded once, within capacity.
        Assert.All(finished, f => Assert.Equal((TaskOutcome.Succeeded, 1), (f.Outcome, f.Attempt)));
        Assert.Equal(tasks.Select(t => t.TaskId).Order(), consumed.TaskIds.Order());
        await using var db = Store.Open(database);
        var attempts = await db.TaskAttempts.AsNoTracking().ToListAsync();
        Assert.Equal(400, attempts.Count(a => a.Status == AttemptState.Succeeded));
        Assert.InRange(RecordedAttempts.MaxConcurrent(attempts.Select(a => (a.DispatchedAt, a.CompletedAt!.Value))), 1, 8);
        Assert.InRange(RecordedAttempts.MaxConcurrent(attempts.Select(a => (a.StartedAt!.Value, a.FinishedAt!.Value))), 1, 8);
    }

    private static ExecuteTask Attempt(string jobType, JsonElement payload) =>
        new() { TaskId = Guid.NewGuid(), Attempt = 1, WorkerId = "w1", JobType = jobType, Payload = payload };

    /// <summary>
    /// The test's own queue bound to where workers send results, and a way to put an <see cref="ExecuteTaskBatch"/>
    /// in worker w1's queue as the dispatcher does (in MassTransit's envelope).
    /// </summary>
    /// <summary>When an attempt ran on the worker, and its error when it failed.</summary>
    private sealed record Run(DateTime Start, DateTime End, string? Error);

    private sealed class ResultsTap(IConnection connection, IChannel channel, string queue) : IAsyncDisposable
    {
        public static async Task<ResultsTap> OpenAsync(RabbitMqEndpoint rabbit)
        {
            var connection = await rabbit.CreateConnectionFactory().CreateConnectionAsync();
            var channel = await connection.CreateChannelAsync();
            var queue = (await channel.QueueDeclareAsync("test.results", durable: false, exclusive: false, autoDelete: false)).QueueName;
            // Declared as the worker's MassTransit declares it (it may not have sent anything yet).
            await channel.ExchangeDeclareAsync(QueueNames.ResultsExchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await channel.QueueBindAsync(queue, QueueNames.ResultsExchange, routingKey: "");
            return new ResultsTap(connection, channel, queue);
        }

        public async Task SendBatchAsync(List<ExecuteTask> attempts)
        {
            var envelope = new { messageId = Guid.NewGuid(), messageType = new[] { $"urn:message:WorkFleet.Contracts:{nameof(ExecuteTaskBatch)}" }, message = new ExecuteTaskBatch { Tasks = attempts } };
            var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", DeliveryMode = DeliveryModes.Persistent };
            await channel.BasicPublishAsync("", QueueNames.ForWorker("w1"), mandatory: true, properties, JsonSerializer.SerializeToUtf8Bytes(envelope, Web));
        }

        /// <summary>Waits for a terminal result of each attempt, alone or in a batch, and returns how each ran (times by the worker's clock).</summary>
        public async Task<Dictionary<Guid, Run>> RunsAsync(List<ExecuteTask> attempts)
        {
            var runs = new Dictionary<Guid, Run>();
            await Eventually.UntilAsync(
                async () =>
                {
                    while (await channel.BasicGetAsync(queue, autoAck: true) is { } delivery)
                    {
                        using var body = JsonDocument.Parse(delivery.Body);
                        CollectTerminalResults(body.RootElement, runs);
                    }

                    return attempts.Count(a => runs.ContainsKey(a.TaskId));
                },
                n => n == attempts.Count,
                TimeSpan.FromSeconds(60),
                "a result for each attempt of the batch");
            return runs;
        }

        public async ValueTask DisposeAsync()
        {
            await channel.DisposeAsync();
            await connection.DisposeAsync();
        }

        /// <summary>Every object with a task id and a finish time, wherever the envelope or a batch nests it (a started report has none).</summary>
        private static void CollectTerminalResults(JsonElement element, Dictionary<Guid, Run> runs)
        {
            if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    CollectTerminalResults(item, runs);
                }
            }
            else if (element.ValueKind == JsonValueKind.Object)
            {
                if (element.TryGetProperty("taskId", out var id) && element.TryGetProperty("finishedAt", out var finished) && element.TryGetProperty("startedAt", out var started))
                {
                    var error = element.TryGetProperty("error", out var e) ? e.GetString() : null;
                    runs[id.GetGuid()] = new Run(started.GetDateTimeOffset().UtcDateTime, finished.GetDateTimeOffset().UtcDateTime, error);
                }

                foreach (var property in element.EnumerateObject())
                {
                    CollectTerminalResults(property.Value, runs);
                }
            }
        }
    }

    /// <summary>The task ids of the attempts a worker's bus handed to its consumer, a batch counting as its attempts.</summary>
    private sealed class ConsumedAttempts : IConsumeObserver
    {
        private readonly List<Guid> _taskIds = [];

        public IReadOnlyList<Guid> TaskIds
        {
            get
            {
                lock (_taskIds)
                {
                    return [.. _taskIds];
                }
            }
        }

        public Task PreConsume<T>(ConsumeContext<T> context)
            where T : class
        {
            IEnumerable<Guid> ids = context.Message switch
            {
                ExecuteTask task => [task.TaskId],
                ExecuteTaskBatch batch => batch.Tasks.Select(t => t.TaskId),
                _ => [],
            };
            lock (_taskIds)
            {
                _taskIds.AddRange(ids);
            }

            return Task.CompletedTask;
        }

        public Task PostConsume<T>(ConsumeContext<T> context)
            where T : class => Task.CompletedTask;

        public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
            where T : class => Task.CompletedTask;
    }
}
