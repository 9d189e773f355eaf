using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using WorkFleet.Contracts;
using WorkFleet.Data;
using WorkFleet.Data.Configuration;
using WorkFleet.Data.Entities;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Persistence;
using WorkFleet.Dispatcher.Persistence.Writes;

namespace WorkFleet.IntegrationTests;

/// <summary>
/// The store's conditional writes under the group commit on PostgreSQL, where a failed statement aborts the whole
/// shared transaction: every write of a task done twice at once (a redelivery racing the original) still takes
/// effect exactly once, and each caller learns which copy won.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class TaskStoreRaceTests(InfrastructureFixture infrastructure)
{
    private const int TaskCount = 100;

    [Fact]
    public async Task EveryWriteTwiceAtOnce_EachTakesEffectOnce()
    {
        // Arrange
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("storerace"));
        await using var services = await StartStoreAsync(database);
        await using var writer = new GroupCommitWriter(services.GetRequiredService<IDbContextFactory<WorkFleetDbContext>>(), NullLogger<GroupCommitWriter>.Instance);
        var store = new TaskStore(services.GetRequiredService<IDbContextFactory<WorkFleetDbContext>>(), writer);
        var ids = Enumerable.Range(0, TaskCount).Select(_ => Guid.NewGuid()).ToList();
        var now = DateTime.UtcNow;

        // Act: submit, dispatch and complete every task twice, both copies at once.
        var submitted = await Task.WhenAll(ids.SelectMany(id => Twice(() => store.RecordSubmittedAsync(NewTask(id, now), CancellationToken.None))));
        var dispatched = await Task.WhenAll(ids.SelectMany(id => Twice(() => store.RecordDispatchAsync(id, 1, "w1", now, CancellationToken.None))));
        var completed = await Task.WhenAll(ids.SelectMany(id => Twice(() => store.RecordCompletedAsync(Completed(id, now), now, CancellationToken.None))));

        // Assert: both submit copies see the one stored task; one dispatch and one result per task won, and the winner
        // read the task's reply route with it.
        Assert.Equal(ids.SelectMany(id => new[] { id, id }).Order(), submitted.Select(t => t.Id).Order());
        Assert.Equal(TaskCount, dispatched.Count(won => won));
        Assert.Equal(TaskCount, completed.Count(r => r.Disposition == ResultDisposition.Decided));
        Assert.Equal(TaskCount, completed.Count(r => r.Disposition == ResultDisposition.Superseded));
        Assert.All(completed.Where(r => r.Disposition == ResultDisposition.Decided), r => Assert.Equal(new ReplyRoute("workfleet.client.tester.box-1", "tester"), r.Route));
        await using var db = Store.Open(database);
        var tasks = await db.Tasks.AsNoTracking().Where(t => ids.Contains(t.Id)).ToListAsync();
        Assert.Equal(TaskCount, tasks.Count);
        Assert.All(tasks, t => Assert.Equal((TaskState.Succeeded, 1, "w1"), (t.Status, t.Attempt, t.WorkerId)));
        var attempts = await db.TaskAttempts.AsNoTracking().Where(a => ids.Contains(a.TaskId)).ToListAsync();
        Assert.Equal(TaskCount, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(AttemptState.Succeeded, a.Status));
    }

    [Fact]
    public async Task OneStatementOfABatchFails_OnlyItsCallerSeesTheFailureAndTheOthersAreCommitted()
    {
        // Arrange: a task whose next attempt already has a history row, so recording that attempt violates the key;
        // one writer loop, held by a first write while the next ones queue up behind it and form one batch.
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("storebatch"));
        await using var services = await StartStoreAsync(database);
        var contexts = services.GetRequiredService<IDbContextFactory<WorkFleetDbContext>>();
        var now = DateTime.UtcNow;
        var clash = Guid.NewGuid();
        await using (var db = await contexts.CreateDbContextAsync())
        {
            db.Tasks.Add(NewTask(clash, now));
            db.TaskAttempts.Add(new TaskAttemptRecord { TaskId = clash, Attempt = 1, WorkerId = "w0", Status = AttemptState.Abandoned, DispatchedAt = now });
            await db.SaveChangesAsync();
        }

        await using var writer = new GroupCommitWriter(contexts, NullLogger<GroupCommitWriter>.Instance, writers: 1);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = writer.WriteAsync(new ContextWrite<int>(async (_, _) => { entered.TrySetResult(); await gate.Task; return 0; }), CancellationToken.None);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var ids = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid()).ToList();
        var before = ids.Take(5).Select(id => writer.WriteAsync(new SubmitWrite(NewTask(id, now)), CancellationToken.None)).ToList();
        var failing = writer.WriteAsync(new DispatchWrite(clash, 1, "w1", now), CancellationToken.None);
        var after = ids.Skip(5).Select(id => writer.WriteAsync(new SubmitWrite(NewTask(id, now)), CancellationToken.None)).ToList();

        // Act
        gate.SetResult();
        await held;

        // Assert: the clashing statement fails alone, naming the key; the statements around it are committed, and the
        // task it would have changed is unchanged.
        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => failing);
        Assert.Equal(Npgsql.PostgresErrorCodes.UniqueViolation, error.SqlState);
        Assert.All(await Task.WhenAll(before.Concat(after)), Assert.True);
        await using var check = Store.Open(database);
        Assert.Equal(ids.Count, await check.Tasks.CountAsync(t => ids.Contains(t.Id)));
        var unchanged = await check.Tasks.AsNoTracking().SingleAsync(t => t.Id == clash);
        Assert.Equal((TaskState.Pending, 0), (unchanged.Status, unchanged.Attempt));
    }

    private static IEnumerable<Task<T>> Twice<T>(Func<Task<T>> write) => [write(), write()];

    private static TaskRecord NewTask(Guid id, DateTime now) => new()
    {
        Id = id,
        JobType = "test.echo",
        Payload = "{}",
        Status = TaskState.Pending,
        SubmittedAt = now,
        CreatedAt = now,
        ReplyTo = "workfleet.client.tester.box-1",
        SubmittedBy = "tester",
    };

    private static TaskCompleted Completed(Guid id, DateTime now) => new()
    {
        TaskId = id,
        Attempt = 1,
        WorkerId = "w1",
        Result = TestJobs.Parse("""{"ok":true}"""),
        StartedAt = now,
        FinishedAt = now,
    };

    private static async Task<ServiceProvider> StartStoreAsync(string connectionString)
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddLogging()
            .AddWorkFleetData(o => (o.Provider, o.ConnectionString) = (DatabaseProvider.Postgres, connectionString))
            .BuildServiceProvider();
        await services.GetRequiredService<DatabaseInitializer>().InitializeAsync(CancellationToken.None);
        return services;
    }
}
