using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;

namespace WorkFleet.IntegrationTests;

[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class CancellationTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Cancel_RunningAndWaitingTasks_BothFailAsCancelled_RunningOneStopsEarly()
    {
        // Arrange: one slot; a job that sleeps until cancelled holds it, a second task waits behind it.
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("cancel"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("cancel"));
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Capacity, o.StartedReportDelay, o.EnableDiagnosticJobs) = ("single", 1, TimeSpan.Zero, true)));
        var producer = await FleetHosts.StartClientAsync(rabbit);
        hosts.Add(producer);
        var client = producer.Services.GetRequiredService<WorkFleetClient>();
        var running = client.CreateTask("diagnostics.sleep", TestJobs.Parse("""{"ms":600000}"""));
        var waiting = client.CreateTask("compute.matmul", TestJobs.Parse("""{"size":8}"""));

        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var runningOutcome = client.WaitAsync(running.TaskId, deadline.Token);
        var waitingOutcome = client.WaitAsync(waiting.TaskId, deadline.Token);
        await client.SubmitAsync(running);
        await Eventually.UntilAsync(
            async () =>
            {
                await using var db = Store.Open(database);
                return await db.Tasks.AsNoTracking().Where(t => t.Id == running.TaskId).Select(t => t.Status).FirstOrDefaultAsync();
            },
            status => status == TaskState.Running,
            TimeSpan.FromSeconds(30),
            "the long task running");
        await client.SubmitAsync(waiting);

        // Act
        await client.CancelAsync(waiting.TaskId, "no longer needed");
        var waitingFinished = await waitingOutcome;
        await client.CancelAsync(running.TaskId);
        var runningFinished = await runningOutcome;

        // Assert
        await using var store = Store.Open(database);
        var stored = await store.Tasks.AsNoTracking().Where(t => t.Id == running.TaskId || t.Id == waiting.TaskId).ToDictionaryAsync(t => t.Id);
        Assert.Equal(TaskOutcome.Failed, waitingFinished.Outcome);
        Assert.Equal("cancelled", stored[waiting.TaskId].ErrorKind);
        Assert.Contains("no longer needed", stored[waiting.TaskId].Error, StringComparison.Ordinal);
        Assert.Equal(0, await store.TaskAttempts.CountAsync(a => a.TaskId == waiting.TaskId));

        Assert.Equal(TaskOutcome.Failed, runningFinished.Outcome);
        Assert.Equal("cancelled", stored[running.TaskId].ErrorKind);
        var attempt = await store.TaskAttempts.AsNoTracking().SingleAsync(a => a.TaskId == running.TaskId);
        Assert.Equal(AttemptState.Failed, attempt.Status);
        Assert.Equal(1, stored[running.TaskId].Attempt);
    }
}
