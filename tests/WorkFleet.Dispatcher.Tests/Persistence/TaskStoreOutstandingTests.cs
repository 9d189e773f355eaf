using WorkFleet.Balancing;
using WorkFleet.Data.Entities;
using WorkFleet.Dispatcher.Persistence;
using WorkFleet.Dispatcher.Persistence.Writes;
using WorkFleet.Dispatcher.Tests.Support;

namespace WorkFleet.Dispatcher.Tests.Persistence;

public sealed class TaskStoreOutstandingTests
{
    [Fact]
    public async Task LoadOutstandingAsync_DispatchedTaskWithAHint_ReturnsItsJobTypeHintAndDispatchTime()
    {
        // Arrange: one dispatched task with a cost hint, one pending (not open).
        await using var store = await SqliteStore.CreateAsync();
        await using var writer = new GroupCommitWriter(store.Contexts, SqliteStore.Logger<GroupCommitWriter>(), writers: 1);
        var dispatchedAt = new DateTime(2026, 12, 4, 12, 0, 0, DateTimeKind.Utc);
        var open = SqliteStore.NewTask();
        (open.Status, open.Attempt, open.WorkerId, open.DispatchedAt, open.ExpectedCostMs) = (TaskState.Dispatched, 2, "w1", dispatchedAt, 250);
        await using (var db = await store.Contexts.CreateDbContextAsync())
        {
            db.Tasks.AddRange(open, SqliteStore.NewTask());
            await db.SaveChangesAsync();
        }

        // Act
        var outstanding = await new TaskStore(store.Contexts, writer).LoadOutstandingAsync(CancellationToken.None);

        // Assert
        var attempt = Assert.Single(outstanding);
        Assert.Equal(new OpenAttempt("w1", new AssignmentKey(open.Id, 2), "test.echo", 250, new DateTimeOffset(dispatchedAt)), attempt);
    }
}
