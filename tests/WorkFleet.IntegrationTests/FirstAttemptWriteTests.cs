using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;

namespace WorkFleet.IntegrationTests;

/// <summary>
/// A new task is stored once, already dispatched with its first attempt, when its slot comes within
/// <c>RecordWaitingAfter</c>; one that waits longer is stored as Pending first, and still runs once.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class FirstAttemptWriteTests(InfrastructureFixture infrastructure)
{
    private const int TaskCount = 40;

    [Fact]
    public async Task SlotWithinTheWindow_TaskRowInsertedOnceAndUpdatedOnlyByItsOutcome()
    {
        // Arrange: a window longer than the run, so every task gets its slot before it must be stored; no start reports
        // (they would update the rows too).
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("firstwrite"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("firstwrite"));
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database, o => o.RecordWaitingAfter = TimeSpan.FromMinutes(1)));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Capacity, o.StartedReportDelay) = ("w1", 4, TimeSpan.FromHours(1))));
        var producer = await FleetHosts.StartClientAsync(rabbit);
        hosts.Add(producer);
        var client = producer.Services.GetRequiredService<WorkFleetClient>();
        var tasks = Enumerable.Range(0, TaskCount).Select(i => client.CreateTask(TestJobs.Mixed(i).JobType, TestJobs.Mixed(i).Payload)).ToList();

        // Act
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var outcomes = tasks.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();
        await client.SubmitManyAsync(tasks);
        var finished = await Task.WhenAll(outcomes);

        // Assert: every task succeeded at attempt 1 with one attempt row; the tasks table saw one insert and one update
        // (the outcome) per task, never the Pending row and its update to Dispatched. The statistics are read once
        // every attempt's insert and update are counted (they share the transactions of the tasks' writes).
        Assert.All(finished, f => Assert.Equal((TaskOutcome.Succeeded, 1), (f.Outcome, f.Attempt)));
        await using (var db = Store.Open(database))
        {
            Assert.Equal(TaskCount, await db.Tasks.CountAsync(t => t.Status == TaskState.Succeeded && t.Attempt == 1));
            Assert.Equal(TaskCount, await db.TaskAttempts.CountAsync(a => a.Status == AttemptState.Succeeded && a.Attempt == 1));
        }

        var counted = await Eventually.UntilAsync(
            () => RowChangesAsync(database),
            c => c.AttemptInserts == TaskCount && c.AttemptUpdates == TaskCount,
            TimeSpan.FromSeconds(60),
            "the statistics to count every attempt's insert and update");
        Assert.Equal((TaskCount, TaskCount), (counted.TaskInserts, counted.TaskUpdates));
    }

    [Fact]
    public async Task SlotLaterThanTheWindow_TaskStoredPendingWhileItWaits_ThenRunsOnce()
    {
        // Arrange: one slot, held by a task that sleeps until it is cancelled; a short window.
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("recordwait"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("recordwait"));
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database, o => o.RecordWaitingAfter = TimeSpan.FromMilliseconds(200)));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Capacity, o.StartedReportDelay, o.EnableDiagnosticJobs) = ("single", 1, TimeSpan.Zero, true)));
        var producer = await FleetHosts.StartClientAsync(rabbit);
        hosts.Add(producer);
        var client = producer.Services.GetRequiredService<WorkFleetClient>();
        var holder = client.CreateTask("diagnostics.sleep", TestJobs.Parse("""{"ms":600000}"""));
        var waiting = client.CreateTask("compute.matmul", TestJobs.Parse("""{"size":8}"""));
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var holderOutcome = client.WaitAsync(holder.TaskId, deadline.Token);
        var waitingOutcome = client.WaitAsync(waiting.TaskId, deadline.Token);
        await client.SubmitAsync(holder);
        await Eventually.UntilAsync(() => StatusAsync(database, holder.TaskId), s => s == TaskState.Running, TimeSpan.FromSeconds(30), "the long task running");

        // Act
        await client.SubmitAsync(waiting);
        var whileWaiting = await Eventually.UntilAsync(() => StatusAsync(database, waiting.TaskId), s => s is not null, TimeSpan.FromSeconds(30), "the waiting task stored");
        await client.CancelAsync(holder.TaskId);
        var finished = await waitingOutcome;
        await holderOutcome;

        // Assert: stored as Pending while the slot was held (no attempt yet), then run once.
        Assert.Equal(TaskState.Pending, whileWaiting);
        Assert.Equal((TaskOutcome.Succeeded, 1), (finished.Outcome, finished.Attempt));
        await using var db = Store.Open(database);
        Assert.Equal(1, await db.TaskAttempts.CountAsync(a => a.TaskId == waiting.TaskId));
    }

    private static async Task<TaskState?> StatusAsync(string database, Guid taskId)
    {
        await using var db = Store.Open(database);
        return await db.Tasks.AsNoTracking().Where(t => t.Id == taskId).Select(t => (TaskState?)t.Status).FirstOrDefaultAsync();
    }

    private static async Task<RowChanges> RowChangesAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT coalesce(sum(n_tup_ins) FILTER (WHERE relname = 'tasks'), 0), coalesce(sum(n_tup_upd) FILTER (WHERE relname = 'tasks'), 0),
                   coalesce(sum(n_tup_ins) FILTER (WHERE relname = 'task_attempts'), 0), coalesce(sum(n_tup_upd) FILTER (WHERE relname = 'task_attempts'), 0)
            FROM pg_stat_user_tables
            """,
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new RowChanges(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    private sealed record RowChanges(long TaskInserts, long TaskUpdates, long AttemptInserts, long AttemptUpdates);
}
