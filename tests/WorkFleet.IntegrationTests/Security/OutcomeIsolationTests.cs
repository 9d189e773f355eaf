using System.Text;
using MassTransit;
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
/// Outcomes go only to the producer that submitted the task, to its own reply queue, which the broker lets no other
/// user read; a reply address that is not the submitter's own reply queue gets nothing.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
[Trait("Category", "Security")]
public sealed class OutcomeIsolationTests(InfrastructureFixture infrastructure)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly Uri SubmitExchange = new($"exchange:{QueueNames.SubmitExchange}");

    [Fact]
    public async Task Outcome_ReachesOnlyItsProducersQueue_AndTheBrokerRefusesAnotherProducerReadingIt()
    {
        // Arrange: two producer users, alice and bob, each with its own client.
        var admin = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("outcomes"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("outcomes"));
        var alice = await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Producer, "alice");
        var bob = await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Producer, "bob");
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartDispatcherAsync(await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Dispatcher), database));
        hosts.Add(await FleetHosts.StartWorkerAsync(await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Worker), o => (o.WorkerId, o.Capacity) = ("w-outcomes", 4)));
        var aliceHost = hosts.Add(await FleetHosts.StartClientAsync(alice));
        var bobHost = hosts.Add(await FleetHosts.StartClientAsync(bob));
        using var aliceReceived = OutcomeArrivals.Watch(aliceHost.Services.GetRequiredService<IBus>());
        var aliceClient = aliceHost.Services.GetRequiredService<WorkFleetClient>();
        var bobClient = bobHost.Services.GetRequiredService<WorkFleetClient>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        // Act: bob's task, then alice's own (so alice's queue has certainly had time to receive anything sent to it).
        var bobs = await bobClient.SubmitAndWaitAsync(bobClient.CreateTask("preprocess.normalize", TestJobs.Parse("""{"vectors":[[3,4]]}""")), deadline.Token);
        var alices = await aliceClient.SubmitAndWaitAsync(aliceClient.CreateTask("preprocess.normalize", TestJobs.Parse("""{"vectors":[[6,8]]}""")), deadline.Token);

        // Assert: each producer got its own outcome; alice's queue never saw bob's.
        Assert.Equal((TaskOutcome.Succeeded, TaskOutcome.Succeeded), (bobs.Outcome, alices.Outcome));
        Assert.Equal([alices.TaskId], aliceReceived.All.Select(f => f.TaskId).Distinct());
        await using (var db = Store.Open(database))
        {
            var stored = await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == bobs.TaskId);
            Assert.Equal((bob.Username, bobHost.Services.GetRequiredService<ClientReplyQueue>().Name), (stored.SubmittedBy, stored.ReplyTo));
        }

        // ... and the broker refuses alice every other way to bob's outcomes: binding the outcome event's exchange
        // (from a queue alice may declare), consuming bob's reply queue; nor may she publish the worker-facing cancel.
        var bobsQueue = bobHost.Services.GetRequiredService<ClientReplyQueue>().Name;
        var aliceSpy = QueueNames.ClientPrefixFor(alice.Username) + "spy";
        Assert.Equal(BrokerAccess.AccessRefused, await BrokerAccess.TryAsync(alice, async channel =>
        {
            await channel.QueueDeclareAsync(aliceSpy, durable: false, exclusive: true, autoDelete: true);
            await channel.QueueBindAsync(aliceSpy, "WorkFleet.Contracts:TaskFinished", string.Empty);
        }));
        Assert.Equal(BrokerAccess.AccessRefused, await BrokerAccess.TryAsync(alice, BrokerAccess.Consume(bobsQueue)));
        Assert.Equal(BrokerAccess.AccessRefused, await BrokerAccess.TryAsync(alice, BrokerAccess.Publish(bobsQueue, Encoding.UTF8.GetBytes("{}"))));
        Assert.Equal(BrokerAccess.AccessRefused, await BrokerAccess.TryAsync(alice, BrokerAccess.Publish("WorkFleet.Contracts:CancelTask", Encoding.UTF8.GetBytes("{}"))));

        // The checks can fail: alice may declare and consume a queue of her own. (A client's reply queue is also
        // exclusive to its connection, so even its owner's other connections get RESOURCE_LOCKED, not ACCESS_REFUSED.)
        Assert.Null(await BrokerAccess.TryAsync(alice, async channel =>
        {
            await channel.QueueDeclareAsync(aliceSpy, durable: false, exclusive: true, autoDelete: true);
            await BrokerAccess.Consume(aliceSpy)(channel);
        }));
    }

    [Fact]
    public async Task ReplyAddress_NotTheSubmittersOwnReplyQueue_GetsNothing_AndTheTaskStillRuns()
    {
        // Arrange: alice, bob, and a decoy worker queue that nobody consumes, bound to an exchange of its name declared
        // as the dispatcher declares a reply queue's: were the reply address not checked, the outcome would land there.
        var admin = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("replyto"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("replyto"));
        var alice = await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Producer, "alice");
        var bob = await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Producer, "bob");
        await using var hosts = new RunningHosts();
        var dispatcher = hosts.Add(await FleetHosts.StartDispatcherAsync(await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Dispatcher), database));
        hosts.Add(await FleetHosts.StartWorkerAsync(await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Worker), o => (o.WorkerId, o.Capacity) = ("w-replyto", 4)));
        var aliceHost = hosts.Add(await FleetHosts.StartClientAsync(alice));
        var bobHost = hosts.Add(await FleetHosts.StartClientAsync(bob));
        using var bobReceived = OutcomeArrivals.Watch(bobHost.Services.GetRequiredService<IBus>());
        var decoy = QueueNames.ForWorker("decoy");
        await DeclareQueueAsync(admin, decoy);
        var bobsQueue = bobHost.Services.GetRequiredService<ClientReplyQueue>().Name;
        var refusedBefore = Metrics(dispatcher).MessagesRefused;

        // Act: alice submits two tasks whose reply address is the decoy worker queue and bob's reply queue.
        var aliceBus = aliceHost.Services.GetRequiredService<IBus>();
        var aliceClient = aliceHost.Services.GetRequiredService<WorkFleetClient>();
        var toWorker = aliceClient.CreateTask("preprocess.normalize", TestJobs.Parse("""{"vectors":[[1,1]]}"""));
        var toBob = aliceClient.CreateTask("preprocess.normalize", TestJobs.Parse("""{"vectors":[[2,2]]}"""));
        var submit = await aliceBus.GetSendEndpoint(SubmitExchange);
        await submit.Send(toWorker, c => c.ResponseAddress = Address(admin, decoy));
        await submit.Send(toBob, c => c.ResponseAddress = Address(admin, bobsQueue));

        // Assert: both ran and were stored with no reply queue; both reply addresses were refused and counted ...
        await using var db = Store.Open(database);
        foreach (var id in new[] { toWorker.TaskId, toBob.TaskId })
        {
            var stored = await Eventually.UntilAsync(
                () => db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id), t => t?.Status == TaskState.Succeeded, Patience, $"task {id} succeeded");
            Assert.Equal((alice.Username, (string?)null), (stored!.SubmittedBy, stored.ReplyTo));
        }

        Assert.True(Metrics(dispatcher).MessagesRefused - refusedBefore >= 2, "both reply addresses refused and counted");

        // ... and nothing was sent to the decoy queue or to bob (bob's own task's outcome, sent after, shows his queue works).
        var bobClient = bobHost.Services.GetRequiredService<WorkFleetClient>();
        var bobs = await bobClient.SubmitAndWaitAsync(bobClient.CreateTask("preprocess.normalize", TestJobs.Parse("""{"vectors":[[3,3]]}""")));
        Assert.Equal(TaskOutcome.Succeeded, bobs.Outcome);
        Assert.Equal([bobs.TaskId], bobReceived.All.Select(f => f.TaskId).Distinct());
        Assert.Equal("0", await MessagesInAsync(admin.VirtualHost, decoy));
    }

    [Fact]
    public async Task SubmitThatFaults_SendsNoFaultToTheReplyAddressItNames_ItGoesToTheErrorQueue()
    {
        // Arrange: a decoy worker queue bound to a durable exchange of its name, as MassTransit declares a send
        // endpoint's: MassTransit answers a consumer's exception with Fault<T> to the message's fault or response
        // address, so a producer could aim the dispatcher's faults at any queue the dispatcher may write.
        var admin = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("faultto"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("faultto"));
        var mallory = await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Producer, "mallory");
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartDispatcherAsync(await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Dispatcher), database));
        hosts.Add(await FleetHosts.StartWorkerAsync(await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Worker), o => (o.WorkerId, o.Capacity) = ("w-faultto", 4)));
        var malloryHost = hosts.Add(await FleetHosts.StartClientAsync(mallory));
        var decoy = QueueNames.ForWorker("decoy");
        await DeclareQueueAsync(admin, decoy, temporaryExchange: false);

        // Act: a submit without a task id (its consumer throws), with the decoy as response and fault address.
        var submit = await malloryHost.Services.GetRequiredService<IBus>().GetSendEndpoint(SubmitExchange);
        await submit.Send(new SubmitTask { TaskId = Guid.Empty, JobType = "preprocess.normalize", Payload = TestJobs.Parse("""{"vectors":[[1,1]]}""") }, c =>
        {
            c.ResponseAddress = Address(admin, decoy);
            c.FaultAddress = Address(admin, decoy);
        });

        // Assert: the submit is in the submit error queue (the fault, were one made, is sent before that move) ...
        await Eventually.UntilAsync(() => MessagesInAsync(admin.VirtualHost, QueueNames.Submit + "_error"), count => count == "1", Patience, "the faulted submit in workfleet.submit_error");

        // ... the decoy got nothing, and the fleet still runs a good task.
        Assert.Equal("0", await MessagesInAsync(admin.VirtualHost, decoy));
        var client = malloryHost.Services.GetRequiredService<WorkFleetClient>();
        var good = await client.SubmitAndWaitAsync(client.CreateTask("preprocess.normalize", TestJobs.Parse("""{"vectors":[[3,4]]}""")));
        Assert.Equal(TaskOutcome.Succeeded, good.Outcome);
    }

    private static DispatcherMetrics Metrics(IHost dispatcher) => dispatcher.Services.GetRequiredService<DispatcherMetrics>();

    private static Uri Address(RabbitMqEndpoint broker, string queue) =>
        new($"rabbitmq://{broker.Host}:{broker.Port}/{Uri.EscapeDataString(broker.VirtualHost)}/{queue}");

    /// <summary>
    /// A durable queue bound to a fanout exchange of its name, declared as its sender will declare it: temporary as
    /// the dispatcher declares a reply queue's (<paramref name="temporaryExchange"/>), else durable as MassTransit
    /// declares a send endpoint's.
    /// </summary>
    private static async Task DeclareQueueAsync(RabbitMqEndpoint user, string queue, bool temporaryExchange = true)
    {
        await using var connection = await user.CreateConnectionFactory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await channel.ExchangeDeclareAsync(queue, ExchangeType.Fanout, durable: !temporaryExchange, autoDelete: temporaryExchange);
        await channel.QueueBindAsync(queue, queue, string.Empty);
    }

    private async Task<string> MessagesInAsync(string virtualHost, string queue) =>
        (await infrastructure.RabbitMqCtlAsync("list_queues", "-p", virtualHost, "name", "messages", "-q"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Single(fields => fields[0] == queue)[1].Trim();
}
