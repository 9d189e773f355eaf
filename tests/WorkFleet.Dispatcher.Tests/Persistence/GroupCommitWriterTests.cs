using WorkFleet.Data.Entities;
using WorkFleet.Dispatcher.Persistence;
using WorkFleet.Dispatcher.Persistence.Writes;
using WorkFleet.Dispatcher.Tests.Support;

namespace WorkFleet.Dispatcher.Tests.Persistence;

public sealed class GroupCommitWriterTests
{
    [Fact]
    public async Task WriteAsync_ManyConcurrentWrites_EachIsCommittedAndAnswered()
    {
        // Arrange
        await using var store = await SqliteStore.CreateAsync();
        await using var writer = new GroupCommitWriter(store.Contexts, SqliteStore.Logger<GroupCommitWriter>(), writers: 2);
        var tasks = Enumerable.Range(0, 200).Select(_ => SqliteStore.NewTask()).ToList();

        // Act
        var answers = await Task.WhenAll(tasks.Select(task => AddAsync(writer, task)));

        // Assert: every caller got its own answer, and every row is there.
        Assert.Equal(tasks.Select(t => t.Id), answers);
        Assert.Equal(tasks.Select(t => t.Id).ToHashSet(), await store.StoredTaskIdsAsync());
    }

    [Fact]
    public async Task WriteAsync_OneWriteOfABatchFails_OnlyThatCallerSeesTheFailureAndTheOthersAreCommitted()
    {
        // Arrange: one writer loop held by a first write while the next ones queue up, so they form one batch.
        await using var store = await SqliteStore.CreateAsync();
        await using var writer = new GroupCommitWriter(store.Contexts, SqliteStore.Logger<GroupCommitWriter>(), writers: 1);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = await HoldAsync(writer, gate.Task);
        var good = Enumerable.Range(0, 10).Select(_ => SqliteStore.NewTask()).ToList();
        var before = good.Take(5).Select(t => AddAsync(writer, t)).ToList();
        var failing = writer.WriteAsync(new ContextWrite<Guid>(
            async (db, token) =>
            {
                db.Tasks.Add(SqliteStore.NewTask());
                await db.SaveChangesAsync(token);
                throw new InvalidOperationException("this write is broken");
            }),
            CancellationToken.None);
        var after = good.Skip(5).Select(t => AddAsync(writer, t)).ToList();

        // Act
        gate.SetResult();
        await first;

        // Assert: the broken write fails alone; the writes around it and their rows survive the batch's rollback,
        // and the broken write's row is not stored.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Equal("this write is broken", error.Message);
        Assert.Equal(good.Select(t => t.Id), await Task.WhenAll(before.Concat(after)));
        Assert.Equal(good.Select(t => t.Id).ToHashSet(), await store.StoredTaskIdsAsync());
    }

    [Fact]
    public async Task WriteAsync_CancelledBeforeItRuns_IsNotRun()
    {
        // Arrange: the only writer loop is busy.
        await using var store = await SqliteStore.CreateAsync();
        await using var writer = new GroupCommitWriter(store.Contexts, SqliteStore.Logger<GroupCommitWriter>(), writers: 1);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var busy = await HoldAsync(writer, gate.Task);
        using var cancel = new CancellationTokenSource();
        var task = SqliteStore.NewTask();
        var cancelled = AddAsync(writer, task, cancel.Token);

        // Act
        await cancel.CancelAsync();
        gate.SetResult();
        await busy;

        // Assert
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.DoesNotContain(task.Id, await store.StoredTaskIdsAsync());
    }

    private static Task<Guid> AddAsync(GroupCommitWriter writer, TaskRecord task, CancellationToken cancellationToken = default) =>
        writer.WriteAsync(
            new ContextWrite<Guid>(async (db, token) =>
            {
                db.Tasks.Add(task);
                await db.SaveChangesAsync(token);
                return task.Id;
            }),
            cancellationToken);

    /// <summary>Occupies a writer loop with a write that waits for <paramref name="release"/>; returns once it runs.</summary>
    private static async Task<Task<int>> HoldAsync(GroupCommitWriter writer, Task release)
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = writer.WriteAsync(
            new ContextWrite<int>(async (_, _) =>
            {
                entered.TrySetResult();
                await release;
                return 0;
            }),
            CancellationToken.None);
        await Deadline.Within(entered.Task);
        return held;
    }
}
