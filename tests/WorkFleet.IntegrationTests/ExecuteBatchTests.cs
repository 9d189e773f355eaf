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
        await using var connection = await rabbit.CreateConnectionFactory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var results = (await channel.QueueDeclareAsync("test.results", durable: false, exclusive: false, autoDelete: false)).QueueName;
        // Declared as the worker's MassTransit declares it (it may not have sent anything yet).
        await channel.ExchangeDeclareAsync(QueueNames.ResultsExchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        await channel.QueueBindAsync(results, QueueNames.ResultsExchange, routingKey: "");
        var attempts = Enumerable.Range(0, 3).Select(i => new ExecuteTask
        {
            TaskId = Guid.NewGuid(), Attempt = 1, WorkerId = "w1", JobType = TestJobs.Mixed(i).JobType, Payload = TestJobs.Mixed(i).Payload,
        }).ToList();

        // Act: what the dispatcher sends when three slots of w1 were granted at once, in MassTransit's envelope.
        var envelope = new { messageId = Guid.NewGuid(), messageType = new[] { $"urn:message:WorkFleet.Contracts:{nameof(ExecuteTaskBatch)}" }, message = new ExecuteTaskBatch { Tasks = attempts } };
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", DeliveryMode = DeliveryModes.Persistent };
        await channel.BasicPublishAsync("", QueueNames.ForWorker("w1"), mandatory: true, properties, JsonSerializer.SerializeToUtf8Bytes(envelope, Web));

        // Assert: a result for each attempt (however the worker packed them), and the batch acknowledged.
        var reported = new HashSet<Guid>();
        await Eventually.UntilAsync(
            async () =>
            {
                while (await channel.BasicGetAsync(results, autoAck: true) is { } delivery)
                {
                    var body = Encoding.UTF8.GetString(delivery.Body.Span);
                    reported.UnionWith(attempts.Select(a => a.TaskId).Where(id => body.Contains(id.ToString(), StringComparison.OrdinalIgnoreCase)));
                }

                return reported.Count;
            },
            n => n == attempts.Count,
            TimeSpan.FromSeconds(60),
            "a result for each attempt of the batch");
        await Eventually.UntilAsync(
            async () => (await infrastructure.RabbitMqCtlAsync("list_queues", "-p", rabbit.VirtualHost, "name", "messages", "-q"))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).Single(f => f[0] == QueueNames.ForWorker("w1"))[1].Trim(),
            n => n == "0",
            TimeSpan.FromSeconds(30),
            "the batch acknowledged");
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
