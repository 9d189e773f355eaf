using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.IntegrationTests.Fleet;

namespace WorkFleet.IntegrationTests.Autoscaling;

/// <summary>
/// The drain command on the real broker and database: the worker finishes what it holds, reports Stopped and its
/// host stops; from the moment of the command no task is handed to it, and nothing is lost.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class DrainWorkerTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Drained_worker_finishes_its_task_stops_and_gets_nothing_after_the_command()
    {
        // Arrange: "leaving" runs a long task; then "staying" joins.
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("drain"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("drain"));
        await using var hosts = new RunningHosts();
        var dispatcher = hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database));
        var leaving = hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Capacity, o.StartedReportDelay) = ("leaving", 2, TimeSpan.Zero)));
        var producer = hosts.Add(await FleetHosts.StartClientAsync(rabbit));
        var client = producer.Services.GetRequiredService<WorkFleetClient>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        var held = client.CreateTask("compute.matmul", TestJobs.Parse("""{"size":256,"seed":1,"repeat":40}"""));
        var heldOutcome = client.WaitAsync(held.TaskId, deadline.Token);
        await client.SubmitAsync(held);
        await Eventually.UntilAsync(
            async () =>
            {
                await using var db = Store.Open(database);
                return await db.Tasks.AsNoTracking().Where(t => t.Id == held.TaskId).Select(t => t.Status).FirstOrDefaultAsync();
            },
            status => status == TaskState.Running,
            TimeSpan.FromSeconds(30),
            "the held task running on the worker that will leave");
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Capacity, o.StartedReportDelay) = ("staying", 2, TimeSpan.Zero)));
        var stopping = new TaskCompletionSource();
        leaving.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() => stopping.TrySetResult());

        // Act: drain "leaving", then submit more work.
        var drainedAt = DateTime.UtcNow;
        await producer.Services.GetRequiredService<IBus>().Publish(new DrainWorker { WorkerId = "leaving", Reason = "test", RequestedAt = drainedAt }, deadline.Token);

        // The command and the submits travel on different queues, in no promised order: the promise holds from the
        // moment the dispatcher has the command (CI once saw a submit consumed before it).
        var slots = dispatcher.Services.GetRequiredService<SlotAllocator>();
        await Eventually.UntilAsync(
            () => Task.FromResult(slots.Snapshot().Any(w => w.Snapshot.WorkerId == "leaving" && w.Snapshot.IsDraining)),
            draining => draining,
            TimeSpan.FromSeconds(30),
            "the dispatcher marking the worker draining");
        var later = Enumerable.Range(0, 20).Select(i => client.CreateTask("compute.matmul", TestJobs.Parse($$"""{"size":16,"seed":{{i}}}"""))).ToList();
        var laterOutcomes = later.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();
        foreach (var task in later)
        {
            await client.SubmitAsync(task);
        }

        // Assert: the host stops by itself, everything completes, and nothing went to "leaving" after the command.
        await stopping.Task.WaitAsync(deadline.Token);

        // What the generic host's Run does when its application asks to stop (this test started the host itself).
        await leaving.StopAsync(deadline.Token);
        Assert.Equal(TaskOutcome.Succeeded, (await heldOutcome).Outcome);
        Assert.All(await Task.WhenAll(laterOutcomes), f => Assert.Equal(TaskOutcome.Succeeded, f.Outcome));
        await using var store = Store.Open(database);
        var heldAttempts = await store.TaskAttempts.AsNoTracking().Where(a => a.TaskId == held.TaskId).ToListAsync();
        Assert.Equal(("leaving", AttemptState.Succeeded), (Assert.Single(heldAttempts).WorkerId, heldAttempts[0].Status));
        var laterIds = later.Select(t => t.TaskId).ToList();
        var laterAttempts = await store.TaskAttempts.AsNoTracking().Where(a => laterIds.Contains(a.TaskId)).ToListAsync();
        Assert.Equal(20, laterAttempts.Count);
        Assert.All(laterAttempts, a => Assert.Equal("staying", a.WorkerId));
        await Eventually.UntilAsync(
            async () =>
            {
                await using var db = Store.Open(database);
                return await db.Workers.AsNoTracking().Where(w => w.Id == "leaving").Select(w => w.State).FirstOrDefaultAsync();
            },
            state => state == nameof(WorkerState.Stopped),
            TimeSpan.FromSeconds(60),
            "the drained worker stored as Stopped");
    }
}
