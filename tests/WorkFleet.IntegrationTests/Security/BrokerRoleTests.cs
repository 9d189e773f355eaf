using System.Text;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Messaging.Security;

namespace WorkFleet.IntegrationTests.Security;

/// <summary>
/// The fleet runs with one broker user per role, each with only its role's permissions (as the shipped definitions
/// file provisions them), and the broker refuses what a role may not do.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
[Trait("Category", "Security")]
public sealed class BrokerRoleTests(InfrastructureFixture infrastructure)
{
    private static readonly byte[] AnyBody = Encoding.UTF8.GetBytes("{}");

    [Fact]
    public async Task RoleUsers_RunTheWholePath_AndTheBrokerRefusesEverythingElse()
    {
        // Arrange: dispatcher, worker and producer each as its own role user.
        var admin = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("roles"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("roles"));
        var dispatcher = await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Dispatcher);
        var worker = await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Worker);
        var producer = await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Producer);
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartDispatcherAsync(dispatcher, database));
        hosts.Add(await FleetHosts.StartWorkerAsync(worker, o => (o.WorkerId, o.Weight, o.Capacity) = ("w-roles", 1, 4)));
        var client = hosts.Add(await FleetHosts.StartClientAsync(producer)).Services.GetRequiredService<WorkFleetClient>();

        // Act: real work through the least-privileged users.
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var tasks = Enumerable.Range(0, 20).Select(i => client.CreateTask("preprocess.normalize", TestJobs.Parse($$"""{"vectors":[[{{i}},1,2]]}"""))).ToList();
        var outcomes = tasks.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();
        await client.SubmitManyAsync(tasks);

        // Assert: everything ran ...
        Assert.All(await Task.WhenAll(outcomes), f => Assert.Equal(TaskOutcome.Succeeded, f.Outcome));

        // ... and the broker refuses each role what it may not do.
        var workerQueue = QueueNames.ForWorker("w-roles");
        Assert.Equal(BrokerAccess.AccessRefused, await BrokerAccess.TryAsync(producer, BrokerAccess.Publish("WorkFleet.Contracts:WorkerHeartbeat", AnyBody)));
        Assert.Equal(BrokerAccess.AccessRefused, await BrokerAccess.TryAsync(producer, BrokerAccess.Publish(QueueNames.Results, AnyBody)));
        Assert.Equal(BrokerAccess.AccessRefused, await BrokerAccess.TryAsync(producer, BrokerAccess.Publish("WorkFleet.Contracts:TaskCompleted", AnyBody)));
        Assert.Equal(BrokerAccess.AccessRefused, await BrokerAccess.TryAsync(producer, BrokerAccess.Consume(workerQueue)));
        Assert.Equal(BrokerAccess.AccessRefused, await BrokerAccess.TryAsync(producer, BrokerAccess.Consume(QueueNames.Submit)));
        Assert.Equal(BrokerAccess.AccessRefused, await BrokerAccess.TryAsync(producer, BrokerAccess.Publish(string.Empty, AnyBody)));
        Assert.Equal(BrokerAccess.AccessRefused, await BrokerAccess.TryAsync(producer, BrokerAccess.Publish(QueueNames.Submit, AnyBody)));
        Assert.Equal(BrokerAccess.AccessRefused, await BrokerAccess.TryAsync(worker, BrokerAccess.Consume(QueueNames.Submit)));
        Assert.Equal(BrokerAccess.AccessRefused, await BrokerAccess.TryAsync(worker, BrokerAccess.Consume(QueueNames.Results)));
        Assert.Equal(BrokerAccess.AccessRefused, await BrokerAccess.TryAsync(worker, BrokerAccess.Publish(QueueNames.Results, AnyBody)));
        Assert.Equal(BrokerAccess.AccessRefused, await BrokerAccess.TryAsync(worker, BrokerAccess.Publish("WorkFleet.Contracts:TaskFinished", AnyBody)));
        Assert.Equal(BrokerAccess.AccessRefused, await BrokerAccess.TryAsync(worker, BrokerAccess.Publish("WorkFleet.Contracts:DrainWorker", AnyBody)));
        Assert.Equal(BrokerAccess.AccessRefused, await BrokerAccess.TryAsync(worker, BrokerAccess.Publish(QueueNames.Submit, AnyBody)));

        // A message cannot claim another user: the broker validates user-id against the connection's user.
        Assert.Equal(BrokerAccess.PreconditionFailed, await BrokerAccess.TryAsync(worker, BrokerAccess.Publish(QueueNames.ResultsExchange, AnyBody, userId: dispatcher.Username)));

        // The checks can fail: the same operations are allowed to the role that needs them.
        Assert.Null(await BrokerAccess.TryAsync(worker, BrokerAccess.Publish(QueueNames.ResultsExchange, AnyBody, userId: worker.Username)));
    }
}
