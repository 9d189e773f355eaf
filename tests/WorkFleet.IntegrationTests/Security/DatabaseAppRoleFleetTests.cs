using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;
using WorkFleet.Testing;

namespace WorkFleet.IntegrationTests.Security;

/// <summary>
/// The deployment the roles are for: the schema migrated by the owner, the dispatcher running as
/// <c>workfleet_app</c> with <c>ApplyMigrations</c> off, real workers on RabbitMQ doing real work.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Security")]
public sealed class DatabaseAppRoleFleetTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Dispatcher_AsAppRoleAfterMigrate_CompletesTasksEndToEnd()
    {
        // Arrange: migrate as the owner; the dispatcher (with its dashboard, as DispatcherHost runs) connects as the app role.
        var roles = await DatabaseRoleSetup.CreateMigratedAsync(infrastructure, "approle_fleet");
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("approle_fleet"));
        await using var hosts = new RunningHosts();
        var (dispatcher, _) = await FleetHosts.StartDispatcherWithDashboardAsync(
            rabbit, roles.App, new Dictionary<string, string?> { ["WorkFleet:Database:ApplyMigrations"] = "false" });
        hosts.Add(dispatcher);
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Weight, o.Capacity) = ("role-w1", 1, 2)));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Weight, o.Capacity) = ("role-w2", 1, 2)));
        var producer = hosts.Add(await FleetHosts.StartClientAsync(rabbit));
        var client = producer.Services.GetRequiredService<WorkFleetClient>();
        var tasks = Enumerable.Range(0, 20).Select(i =>
        {
            var (jobType, payload) = TestJobs.Mixed(i);
            return client.CreateTask(jobType, payload);
        }).ToList();

        // Act
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var outcomes = tasks.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();
        await client.SubmitManyAsync(tasks);
        var finished = await Task.WhenAll(outcomes);

        // Assert: every task succeeded and is stored with its attempt; read back through the read-only role.
        Assert.All(finished, f => Assert.Equal(TaskOutcome.Succeeded, f.Outcome));
        await using var db = Store.Open(roles.Read);
        var stored = await db.Tasks.AsNoTracking().ToListAsync();
        Assert.Equal(tasks.Select(t => t.TaskId).Order(), stored.Select(t => t.Id).Order());
        Assert.All(stored, t => Assert.Equal(TaskState.Succeeded, t.Status));
        Assert.Equal(20, await db.TaskAttempts.CountAsync(a => a.Status == AttemptState.Succeeded));
        // Heartbeats reach the workers table in batches (every 500 ms), not with the outcomes: wait for both rows.
        var workers = await Eventually.UntilAsync(
            async () => (await db.Workers.AsNoTracking().Select(w => w.Id).ToListAsync()).Order().ToList(),
            ids => ids.Count == 2, TimeSpan.FromSeconds(30), "both workers' heartbeats in the workers table");
        Assert.Equal(["role-w1", "role-w2"], workers);
    }
}
