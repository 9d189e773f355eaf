using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Observability;
using WorkFleet.Messaging.Security;

namespace WorkFleet.IntegrationTests.Security;

/// <summary>
/// With a broker user per worker (<see cref="BrokerRoles.OfWorker"/>) the broker keeps each worker out of the others'
/// queues, and a dispatcher with <c>Trust:PinnedWorkers</c> believes each worker only from its own user.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
[Trait("Category", "Security")]
public sealed class PerWorkerUserTests(InfrastructureFixture infrastructure)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task WorkersOnTheirOwnUsers_RunTasks_ButCannotReadEachOthersQueues_NorSpeakForAnotherWorker()
    {
        // Arrange: two workers, each on a user that may use only its own queues; the dispatcher pins them.
        var admin = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("pinned"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("pinned"));
        var first = await WorkerUserAsync(admin, "pin-w1");
        var second = await WorkerUserAsync(admin, "pin-w2");
        await using var hosts = new RunningHosts();
        var dispatcher = hosts.Add(await FleetHosts.StartDispatcherAsync(
            await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Dispatcher), database, new Dictionary<string, string?>
            {
                ["WorkFleet:Dispatcher:Trust:PinnedWorkers:pin-w1"] = first.Username,
                ["WorkFleet:Dispatcher:Trust:PinnedWorkers:pin-w2"] = second.Username,
            }));
        hosts.Add(await FleetHosts.StartWorkerAsync(first, o => (o.WorkerId, o.Weight, o.Capacity) = ("pin-w1", 1, 2)));
        hosts.Add(await FleetHosts.StartWorkerAsync(second, o => (o.WorkerId, o.Weight, o.Capacity) = ("pin-w2", 1, 2)));
        var client = hosts.Add(await FleetHosts.StartClientAsync(await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Producer)))
            .Services.GetRequiredService<WorkFleetClient>();

        // Act
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var tasks = Enumerable.Range(0, 20).Select(i => client.CreateTask("preprocess.normalize", TestJobs.Parse($$"""{"vectors":[[{{i}},1,2]]}"""))).ToList();
        var outcomes = tasks.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();
        await client.SubmitManyAsync(tasks);

        // Assert: the work ran on the pinned workers only ...
        Assert.All(await Task.WhenAll(outcomes), f => Assert.Equal(TaskOutcome.Succeeded, f.Outcome));
        await using (var db = Store.Open(database))
        {
            var workers = await db.TaskAttempts.AsNoTracking().Select(a => a.WorkerId).Distinct().ToListAsync();
            Assert.All(workers, w => Assert.Contains(w, new[] { "pin-w1", "pin-w2" }));
        }

        // ... the broker keeps each worker's user out of the other's queues ...
        Assert.Equal(BrokerAccess.AccessRefused, await BrokerAccess.TryAsync(first, BrokerAccess.Consume(QueueNames.ForWorker("pin-w2"))));
        Assert.Equal(BrokerAccess.AccessRefused, await BrokerAccess.TryAsync(first, BrokerAccess.Consume(QueueNames.ForWorker("pin-w2") + ".control")));
        Assert.Equal(BrokerAccess.AccessRefused, await BrokerAccess.TryAsync(second, BrokerAccess.Consume(QueueNames.ForWorker("pin-w1"))));

        // ... and a pinned user cannot speak for a worker id nobody claimed yet (first-sender binding alone would let it).
        var refusedBefore = Metrics(dispatcher).MessagesRefused;
        await using (var impostor = await ImpostorBus.StartAsync(first))
        {
            await impostor.PublishAsync(Beat("pin-unclaimed", DateTimeOffset.UtcNow));
            await Eventually.UntilAsync(() => Task.FromResult(Metrics(dispatcher).MessagesRefused), n => n > refusedBefore, Patience, "the heartbeat of an unpinned id from a pinned user refused");
        }
    }

    private Task<RabbitMqEndpoint> WorkerUserAsync(RabbitMqEndpoint admin, string workerId)
    {
        var permissions = BrokerRoles.OfWorker(workerId);
        return infrastructure.CreateBrokerUserAsync(
            admin, $"{admin.VirtualHost}-worker-{workerId}", Guid.NewGuid().ToString("N"), permissions.Configure, permissions.Write, permissions.Read);
    }

    private static DispatcherMetrics Metrics(IHost dispatcher) => dispatcher.Services.GetRequiredService<DispatcherMetrics>();

    private static WorkerHeartbeat Beat(string id, DateTimeOffset now) => new()
    {
        WorkerId = id,
        QueueName = QueueNames.ForWorker(id),
        Capacity = 8,
        JobTypes = ["preprocess.normalize"],
        State = WorkerState.Active,
        StartedAt = now.AddMinutes(-1),
        SentAt = now,
    };
}
