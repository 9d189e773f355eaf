using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;
using WorkFleet.Dispatcher.Observability;
using WorkFleet.Messaging.Security;

namespace WorkFleet.IntegrationTests.Security;

/// <summary>
/// A cancel is honoured only from the broker user that submitted the task or from an operator; another producer's is
/// refused, counted, and changes nothing.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
[Trait("Category", "Security")]
public sealed class CancelAuthorizationTests(InfrastructureFixture infrastructure)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Cancel_ByAnotherProducer_IsRefused_BySubmitterOrOperator_Works()
    {
        // Arrange: one slot, held by a long task of alice's; three tasks of bob's wait behind it.
        var admin = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("cancelauth"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("cancelauth"));
        var alice = await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Producer, "alice");
        var bob = await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Producer, "bob");
        var ops = await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Operator, "ops");
        await using var hosts = new RunningHosts();
        var dispatcher = hosts.Add(await FleetHosts.StartDispatcherAsync(
            await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Dispatcher),
            database,
            new Dictionary<string, string?> { ["WorkFleet:Dispatcher:Trust:OperatorUsers:0"] = ops.Username }));
        hosts.Add(await FleetHosts.StartWorkerAsync(
            await BrokerRoleUsers.CreateAsync(infrastructure, admin, BrokerRoles.Worker), o => (o.WorkerId, o.Capacity, o.StartedReportDelay, o.EnableDiagnosticJobs) = ("single", 1, TimeSpan.Zero, true)));
        var aliceClient = Client(hosts.Add(await FleetHosts.StartClientAsync(alice)));
        var bobClient = Client(hosts.Add(await FleetHosts.StartClientAsync(bob)));
        var opsClient = Client(hosts.Add(await FleetHosts.StartClientAsync(ops)));
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var db = Store.Open(database);

        // The holder sleeps until the operator cancels it: bob's tasks are stored as Pending only after they have waited
        // RecordWaitingAfter, and a holder that could finish first would let them run.
        var holder = aliceClient.CreateTask("diagnostics.sleep", TestJobs.Parse("""{"ms":600000}"""));
        var holderOutcome = aliceClient.WaitAsync(holder.TaskId, deadline.Token);
        await aliceClient.SubmitAsync(holder);
        await WaitForStatusAsync(db, holder.TaskId, TaskState.Running);
        var (attacked, ownCancel, operatorCancel) = (Small(bobClient, 1), Small(bobClient, 2), Small(bobClient, 3));
        var outcomes = new[] { attacked, ownCancel, operatorCancel }.ToDictionary(t => t.TaskId, t => bobClient.WaitAsync(t.TaskId, deadline.Token));
        await bobClient.SubmitManyAsync([attacked, ownCancel, operatorCancel]);
        foreach (var id in outcomes.Keys)
        {
            await WaitForStatusAsync(db, id, TaskState.Pending);
        }

        // Act: alice cancels bob's task, bob cancels his own, the operator cancels one of bob's and alice's running one.
        var refusedBefore = Metrics(dispatcher).MessagesRefused;
        await aliceClient.CancelAsync(attacked.TaskId, "alice was here", deadline.Token);
        await Eventually.UntilAsync(() => Task.FromResult(Metrics(dispatcher).MessagesRefused), n => n > refusedBefore, Patience, "alice's cancel refused");
        await bobClient.CancelAsync(ownCancel.TaskId, "bob changed his mind", deadline.Token);
        await opsClient.CancelAsync(operatorCancel.TaskId, "operator", deadline.Token);
        var cancelledByBob = await outcomes[ownCancel.TaskId];
        var cancelledByOps = await outcomes[operatorCancel.TaskId];
        Assert.Equal(TaskState.Pending, (await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == attacked.TaskId)).Status);
        await opsClient.CancelAsync(holder.TaskId, "operator frees the slot", deadline.Token);
        var holderFinished = await holderOutcome;
        var attackedFinished = await outcomes[attacked.TaskId];

        // Assert: the refused cancel changed nothing (the task ran and succeeded); the others cancelled their tasks,
        // waiting or running.
        Assert.Equal(TaskOutcome.Succeeded, attackedFinished.Outcome);
        var stored = await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == attacked.TaskId);
        Assert.Equal((TaskState.Succeeded, bob.Username), (stored.Status, stored.SubmittedBy));
        Assert.DoesNotContain("alice", stored.Error ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal((TaskOutcome.Failed, ErrorKinds.Cancelled), (cancelledByBob.Outcome, cancelledByBob.ErrorKind));
        Assert.Contains("bob changed his mind", cancelledByBob.Error, StringComparison.Ordinal);
        Assert.Equal((TaskOutcome.Failed, ErrorKinds.Cancelled), (cancelledByOps.Outcome, cancelledByOps.ErrorKind));
        Assert.Equal((TaskOutcome.Failed, ErrorKinds.Cancelled), (holderFinished.Outcome, holderFinished.ErrorKind));
        Assert.Equal(AttemptState.Failed, (await db.TaskAttempts.AsNoTracking().SingleAsync(a => a.TaskId == holder.TaskId)).Status);
    }

    private static WorkFleetClient Client(IHost host) => host.Services.GetRequiredService<WorkFleetClient>();

    private static SubmitTask Small(WorkFleetClient client, int seed) => client.CreateTask("compute.matmul", TestJobs.Parse($$"""{"size":8,"seed":{{seed}}}"""));

    private static DispatcherMetrics Metrics(IHost dispatcher) => dispatcher.Services.GetRequiredService<DispatcherMetrics>();

    private static async Task WaitForStatusAsync(Data.WorkFleetDbContext db, Guid taskId, TaskState status) =>
        await Eventually.UntilAsync(
            () => db.Tasks.AsNoTracking().Where(t => t.Id == taskId).Select(t => (TaskState?)t.Status).FirstOrDefaultAsync(),
            s => s == status,
            Patience,
            $"task {taskId} {status}");
}
