using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;

namespace WorkFleet.IntegrationTests;

/// <summary>
/// Short-task prefetch on the real broker and database: with <c>PrefetchPerSlot</c> 1 the dispatcher keeps up to twice
/// the capacity of a worker of short tasks out at once (sent, result not yet stored), and the worker still runs no more
/// than its capacity at once; every task is recorded once, by one attempt.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class ShortTaskPrefetchTests(InfrastructureFixture infrastructure)
{
    private const int Capacity = 2;
    private const int TaskCount = 1000;

    [Fact]
    public async Task PrefetchOne_ShortTasks_WorkerHoldsUpToTwiceItsCapacity_RunsAtMostItsCapacity_EachRecordedOnce()
    {
        // Arrange: the bound on "short" is generous so that a busy machine's slower tasks still count as short; the
        // worker beats often so that the dispatcher learns its mean task time early in the run.
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("prefetch"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("prefetch"));
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database, o => (o.PrefetchPerSlot, o.PrefetchMaxTaskDuration) = (1, TimeSpan.FromSeconds(1))));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Capacity, o.HeartbeatInterval) = ("w1", Capacity, TimeSpan.FromMilliseconds(200))));
        var producer = await FleetHosts.StartClientAsync(rabbit);
        hosts.Add(producer);
        var client = producer.Services.GetRequiredService<WorkFleetClient>();
        var tasks = Enumerable.Range(0, TaskCount).Select(_ => client.CreateTask("preprocess.tokenize", TestJobs.Mixed(0).Payload)).ToList();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var outcomes = tasks.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();

        // Act
        await client.SubmitManyAsync(tasks);
        var finished = await Task.WhenAll(outcomes);

        // Assert: one succeeded attempt per task; never more than the capacity running (the worker's own clock), and
        // more than the capacity held at some point, never more than twice it (the dispatcher's clock).
        Assert.All(finished, f => Assert.Equal((TaskOutcome.Succeeded, 1), (f.Outcome, f.Attempt)));
        await using var db = Store.Open(database);
        var attempts = await db.TaskAttempts.AsNoTracking().ToListAsync();
        Assert.Equal(TaskCount, attempts.Count(a => a.Status == AttemptState.Succeeded));
        Assert.Equal(tasks.Select(t => t.TaskId).Order(), attempts.Select(a => a.TaskId).Order());
        Assert.InRange(RecordedAttempts.MaxConcurrent(attempts.Select(a => (a.StartedAt!.Value, a.FinishedAt!.Value))), 1, Capacity);
        Assert.InRange(RecordedAttempts.MaxConcurrent(attempts.Select(a => (a.DispatchedAt, a.CompletedAt!.Value))), Capacity + 1, 2 * Capacity);
    }
}
