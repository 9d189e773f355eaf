using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using WorkFleet.Contracts;
using WorkFleet.Data;
using WorkFleet.Data.Configuration;
using WorkFleet.Data.Entities;
using WorkFleet.Dispatcher.Persistence;

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

        // Assert: both submit copies see the one stored task; one dispatch and one result per task won.
        Assert.Equal(ids.SelectMany(id => new[] { id, id }).Order(), submitted.Select(t => t.Id).Order());
        Assert.Equal(TaskCount, dispatched.Count(won => won));
        Assert.Equal(TaskCount, completed.Count(d => d == ResultDisposition.Decided));
        Assert.Equal(TaskCount, completed.Count(d => d == ResultDisposition.Superseded));
        await using var db = Store.Open(database);
        var tasks = await db.Tasks.AsNoTracking().Where(t => ids.Contains(t.Id)).ToListAsync();
        Assert.Equal(TaskCount, tasks.Count);
        Assert.All(tasks, t => Assert.Equal((TaskState.Succeeded, 1, "w1"), (t.Status, t.Attempt, t.WorkerId)));
        var attempts = await db.TaskAttempts.AsNoTracking().Where(a => ids.Contains(a.TaskId)).ToListAsync();
        Assert.Equal(TaskCount, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(AttemptState.Succeeded, a.Status));
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
