using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.IntegrationTests;

[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class HeartbeatPersistenceTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Dispatcher_StartedAfterWorkers_ChoosesFromStoredHeartbeats()
    {
        // Arrange: workers that beat once at start and then not again for an hour. Dispatcher A receives
        // those beats and stores them; then A goes away and B starts. B can only know the fleet from the
        // workers table: no heartbeat will reach it during the test.
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("hb"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("hb"));
        await using var hosts = new RunningHosts();
        var first = await FleetHosts.StartDispatcherAsync(rabbit, database);
        foreach (var (id, weight) in new[] { ("slow", 1.0), ("fast", 3.0) })
        {
            hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o =>
            {
                (o.WorkerId, o.Weight, o.Capacity) = (id, weight, 32);
                o.HeartbeatInterval = TimeSpan.FromHours(1);
            }));
        }

        await Eventually.UntilAsync(
            async () =>
            {
                await using var db = Store.Open(database);
                return await db.Workers.CountAsync();
            },
            count => count == 2,
            TimeSpan.FromSeconds(30),
            "both workers' first heartbeat stored by dispatcher A");
        await first.StopAsync();
        first.Dispose();

        var second = await FleetHosts.StartDispatcherAsync(rabbit, database, o => (o.LivenessTimeout, o.LostTimeout) = (TimeSpan.FromHours(2), TimeSpan.FromHours(2)));
        hosts.Add(second);

        // Act
        var view = second.Services.GetRequiredService<SlotAllocator>().Snapshot();
        var producer = await FleetHosts.StartClientAsync(rabbit);
        hosts.Add(producer);
        var client = producer.Services.GetRequiredService<WorkFleetClient>();
        var tasks = Enumerable.Range(0, 40)
            .Select(i => client.CreateTask("compute.matmul", TestJobs.Parse($$"""{"size":48,"seed":{{i}}}""")))
            .ToList();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var outcomes = tasks.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();
        await client.SubmitManyAsync(tasks);
        var finished = await Task.WhenAll(outcomes);

        // Assert: B knew both workers, with their stored weights, before anything arrived, and routed by them.
        Assert.Equal(new[] { ("fast", 3.0), ("slow", 1.0) }, view.Select(w => (w.Snapshot.WorkerId, w.Snapshot.Weight)).Order());
        Assert.All(view, w => Assert.True(w.IsAlive));
        Assert.All(finished, f => Assert.Equal(TaskOutcome.Succeeded, f.Outcome));
        var byWorker = finished.GroupBy(f => f.WorkerId!).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(byWorker.GetValueOrDefault("fast") > byWorker.GetValueOrDefault("slow"), $"fast {byWorker.GetValueOrDefault("fast")} vs slow {byWorker.GetValueOrDefault("slow")}");
    }
}
