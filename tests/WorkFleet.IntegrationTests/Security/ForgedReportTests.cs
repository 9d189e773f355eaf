using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RabbitMQ.Client;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;
using WorkFleet.Dispatcher.Observability;
using WorkFleet.Messaging.Security;

namespace WorkFleet.IntegrationTests.Security;

/// <summary>
/// Workers' reports are believed only from the broker user of the worker they name, and results are stored only for
/// the worker the attempt was sent to. The victim worker is played by the test (its heartbeats from its own user, its
/// tasks read from its queue), so every forgery lands while the victim's attempt is open.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
[Trait("Category", "Security")]
public sealed class ForgedReportTests(InfrastructureFixture infrastructure)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task ForgedHeartbeatsAndResults_ChangeNothing_AndTheVictimsOwnResultsAreStored()
    {
        // Arrange: a dispatcher and a producer; the victim and mallory are both real worker users.
        var admin = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("forged"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("forged"));
        var victimUser = await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Worker, "victim");
        var malloryUser = await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Worker, "mallory");
        await using var hosts = new RunningHosts();
        var dispatcher = hosts.Add(await FleetHosts.StartDispatcherAsync(await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Dispatcher), database));
        var client = hosts.Add(await FleetHosts.StartClientAsync(await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Producer))).Services.GetRequiredService<WorkFleetClient>();
        await using var victim = await ImpostorBus.StartAsync(victimUser);
        await using var mallory = await ImpostorBus.StartAsync(malloryUser);
        victim.BeatEvery500Ms(now => Beat("victim", now, capacity: 2));
        mallory.BeatEvery500Ms(now => Beat("mallory", now, capacity: 1) with { JobTypes = ["nothing.mallory.runs"] });

        // A heartbeat without a validated user-id (here from the admin user, which no real fleet has) offers a huge,
        // idle worker for every job type: the dispatcher must not believe it.
        var refusedBefore = Metrics(dispatcher).MessagesRefused;
        await PublishWithoutUserIdAsync(admin, Beat("ghost", DateTimeOffset.UtcNow, capacity: 1024));
        await Eventually.UntilAsync(() => Task.FromResult(Metrics(dispatcher).MessagesRefused), n => n > refusedBefore, Patience, "the ghost heartbeat refused");

        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var first = client.CreateTask("preprocess.normalize", TestJobs.Parse("""{"vectors":[[3,4]]}"""));
        var firstOutcome = client.WaitAsync(first.TaskId, deadline.Token);
        await client.SubmitAsync(first);
        var sent = await TakeExecuteTaskAsync(victimUser, first.TaskId);

        // Act: mallory's forgeries while the victim's attempt is open.
        refusedBefore = Metrics(dispatcher).MessagesRefused;
        await mallory.SendResultAsync(Completed(sent, "victim", """{"forged":"as victim"}"""));
        await mallory.SendResultAsync(Completed(sent, "mallory", """{"forged":"as mallory"}"""));
        await mallory.PublishAsync(Beat("victim", DateTimeOffset.UtcNow, capacity: 2) with { State = WorkerState.Stopped });
        await PublishWithoutUserIdAsync(admin, Completed(sent, "victim", """{"forged":"no user-id"}"""), QueueNames.ResultsExchange);
        await Eventually.UntilAsync(() => Task.FromResult(Metrics(dispatcher).MessagesRefused - refusedBefore), n => n >= 3, Patience, "three forgeries refused");
        await WaitUntilConsumedAsync(admin.VirtualHost, QueueNames.Results);

        // Assert: nothing forged was stored; the attempt is still the victim's and open.
        await using (var db = Store.Open(database))
        {
            var task = await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == first.TaskId);
            Assert.Equal(TaskState.Dispatched, task.Status);
            Assert.Null(task.Result);
            var attempt = await db.TaskAttempts.AsNoTracking().SingleAsync(a => a.TaskId == first.TaskId);
            Assert.Equal(("victim", AttemptState.Dispatched), (attempt.WorkerId, attempt.Status));
        }

        // The forged Stopped did not make the dispatcher drop the victim: the next task still goes to it, and no task
        // ever went to the ghost's queue (the broker never even saw it declared).
        var second = client.CreateTask("preprocess.normalize", TestJobs.Parse("""{"vectors":[[6,8]]}"""));
        var secondOutcome = client.WaitAsync(second.TaskId, deadline.Token);
        await client.SubmitAsync(second);
        var sentSecond = await TakeExecuteTaskAsync(victimUser, second.TaskId);
        Assert.DoesNotContain(QueueNames.ForWorker("ghost"), await infrastructure.RabbitMqCtlAsync("list_queues", "-p", admin.VirtualHost, "name", "-q"), StringComparison.Ordinal);

        // The victim's own results are stored and reach the producer.
        await victim.SendResultAsync(Completed(sent, "victim", """{"by":"victim","n":1}"""));
        await victim.SendResultAsync(Completed(sentSecond, "victim", """{"by":"victim","n":2}"""));
        var outcomes = await Task.WhenAll(firstOutcome, secondOutcome);
        Assert.All(outcomes, o => Assert.Equal(TaskOutcome.Succeeded, o.Outcome));
        Assert.All(outcomes, o => Assert.Equal("victim", o.Result!.Value.GetProperty("by").GetString()));
    }

    [Fact]
    public async Task ForgedResultBatches_ChangeNothing_AndTheVictimsOwnBatchIsStored()
    {
        // Arrange: two open attempts of the victim, played by the test; mallory is another real worker user.
        var admin = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("forgedbatch"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("forgedbatch"));
        var victimUser = await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Worker, "victim");
        var malloryUser = await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Worker, "mallory");
        await using var hosts = new RunningHosts();
        var dispatcher = hosts.Add(await FleetHosts.StartDispatcherAsync(await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Dispatcher), database));
        var client = hosts.Add(await FleetHosts.StartClientAsync(await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Producer))).Services.GetRequiredService<WorkFleetClient>();
        await using var victim = await ImpostorBus.StartAsync(victimUser);
        await using var mallory = await ImpostorBus.StartAsync(malloryUser);
        victim.BeatEvery500Ms(now => Beat("victim", now, capacity: 2));
        mallory.BeatEvery500Ms(now => Beat("mallory", now, capacity: 1) with { JobTypes = ["nothing.mallory.runs"] });
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var tasks = new[] { """{"vectors":[[3,4]]}""", """{"vectors":[[6,8]]}""" }.Select(p => client.CreateTask("preprocess.normalize", TestJobs.Parse(p))).ToList();
        var outcomes = tasks.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();
        var sent = new List<ExecuteTask>();
        foreach (var task in tasks)
        {
            await client.SubmitAsync(task);
            sent.Add(await TakeExecuteTaskAsync(victimUser, task.TaskId));
        }

        // Act: mallory's batches: in its own name with the victim's items, in the victim's name, and in its own name
        // with its own items for the victim's attempts.
        var refusedBefore = Metrics(dispatcher).MessagesRefused;
        await mallory.SendResultAsync(new TaskResultBatch { WorkerId = "mallory", Completed = [.. sent.Select(t => Completed(t, "victim", """{"forged":"items as victim"}"""))] });
        await mallory.SendResultAsync(new TaskResultBatch { WorkerId = "victim", Completed = [.. sent.Select(t => Completed(t, "victim", """{"forged":"batch as victim"}"""))] });
        await mallory.SendResultAsync(new TaskResultBatch { WorkerId = "mallory", Completed = [.. sent.Select(t => Completed(t, "mallory", """{"forged":"as mallory"}"""))] });
        await Eventually.UntilAsync(() => Task.FromResult(Metrics(dispatcher).MessagesRefused - refusedBefore), n => n >= 3, Patience, "two forged items and one forged batch refused");
        await WaitUntilConsumedAsync(admin.VirtualHost, QueueNames.Results);

        // Assert: nothing forged was stored; the attempts are still the victim's and open.
        var ids = sent.Select(t => t.TaskId).ToList();
        await using (var db = Store.Open(database))
        {
            var stored = await db.Tasks.AsNoTracking().Where(t => ids.Contains(t.Id)).ToListAsync();
            Assert.All(stored, t => Assert.Equal((TaskState.Dispatched, (string?)null), (t.Status, t.Result)));
            var attempts = await db.TaskAttempts.AsNoTracking().Where(a => ids.Contains(a.TaskId)).ToListAsync();
            Assert.Equal(2, attempts.Count);
            Assert.All(attempts, a => Assert.Equal(("victim", AttemptState.Dispatched), (a.WorkerId, a.Status)));
        }

        // The victim's own batch is stored and reaches the producer.
        await victim.SendResultAsync(new TaskResultBatch
        {
            WorkerId = "victim",
            Completed = [.. sent.Select((t, i) => Completed(t, "victim", $$"""{"by":"victim","n":{{i}}}"""))],
        });
        var finished = await Task.WhenAll(outcomes);
        Assert.All(finished, o => Assert.Equal(TaskOutcome.Succeeded, o.Outcome));
        Assert.All(finished, o => Assert.Equal("victim", o.Result!.Value.GetProperty("by").GetString()));
    }

    private static DispatcherMetrics Metrics(IHost dispatcher) => dispatcher.Services.GetRequiredService<DispatcherMetrics>();

    private static WorkerHeartbeat Beat(string id, DateTimeOffset now, int capacity) => new()
    {
        WorkerId = id,
        QueueName = QueueNames.ForWorker(id),
        Capacity = capacity,
        JobTypes = ["preprocess.normalize"],
        State = WorkerState.Active,
        StartedAt = now.AddMinutes(-1),
        SentAt = now,
    };

    private static TaskCompleted Completed(ExecuteTask sent, string workerId, string result) => new()
    {
        TaskId = sent.TaskId,
        Attempt = sent.Attempt,
        WorkerId = workerId,
        Result = TestJobs.Parse(result),
        StartedAt = DateTimeOffset.UtcNow,
        FinishedAt = DateTimeOffset.UtcNow,
    };

    // The MassTransit envelope, published with no user-id: what a client other than WorkFleet's could send.
    private static async Task PublishWithoutUserIdAsync<T>(RabbitMqEndpoint user, T message, string? exchange = null)
        where T : class
    {
        var envelope = new { messageId = Guid.NewGuid(), messageType = new[] { $"urn:message:WorkFleet.Contracts:{typeof(T).Name}" }, message };
        var body = JsonSerializer.SerializeToUtf8Bytes(envelope, Web);
        await using var connection = await user.CreateConnectionFactory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await channel.BasicPublishAsync(exchange ?? $"WorkFleet.Contracts:{typeof(T).Name}", string.Empty, mandatory: false, new BasicProperties { ContentType = "application/vnd.masstransit+json" }, body);
    }

    private static async Task<ExecuteTask> TakeExecuteTaskAsync(RabbitMqEndpoint victim, Guid taskId)
    {
        await using var connection = await victim.CreateConnectionFactory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return await Eventually.UntilAsync(
            async () =>
            {
                if (await QueueExistsAsync(connection) && await channel.BasicGetAsync(QueueNames.ForWorker("victim"), autoAck: true) is { } delivery)
                {
                    var message = JsonDocument.Parse(delivery.Body).RootElement.GetProperty("message").Deserialize<ExecuteTask>(Web);
                    return message!.TaskId == taskId ? message : null;
                }

                return null;
            },
            message => message is not null,
            Patience,
            $"task {taskId} in the victim's queue") ?? throw new InvalidOperationException("unreachable");
    }

    // Before the first dispatch the queue does not exist; a passive declare on the shared channel would close it.
    private static async Task<bool> QueueExistsAsync(IConnection connection)
    {
        await using var probe = await connection.CreateChannelAsync();
        try
        {
            await probe.QueueDeclarePassiveAsync(QueueNames.ForWorker("victim"));
            return true;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return false;
        }
    }

    private async Task WaitUntilConsumedAsync(string virtualHost, string queue) =>
        await Eventually.UntilAsync(
            async () => (await infrastructure.RabbitMqCtlAsync("list_queues", "-p", virtualHost, "name", "messages", "messages_unacknowledged", "-q"))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split('\t'))
                .Single(fields => fields[0] == queue),
            fields => fields[1].Trim() == "0" && fields[2].Trim() == "0",
            Patience,
            $"{queue} consumed and acknowledged");
}
