using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Client;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.IntegrationTests;

/// <summary>Two dispatchers on one fleet count each other's attempts through broadcasts, not heartbeats.</summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class SharedLedgerTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task TwoDispatchers_WorkerBeatsOnlyOnce_EachSeesEveryAttemptOnTheWorker()
    {
        // Arrange: one worker (capacity 4) that beats once at start, so no later heartbeat can tell either
        // dispatcher what the other sent; four long tasks (seconds each, within the job's input limits), shared by
        // the two dispatchers as the broker deals them.
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("ledger"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("ledger"));
        await using var hosts = new RunningHosts();
        var first = await FleetHosts.StartDispatcherAsync(rabbit, database, o => (o.DispatcherId, o.LivenessTimeout, o.LostTimeout) = ("d-one", TimeSpan.FromHours(2), TimeSpan.FromHours(2)));
        hosts.Add(first);
        var second = await FleetHosts.StartDispatcherAsync(rabbit, database, o => (o.DispatcherId, o.LivenessTimeout, o.LostTimeout) = ("d-two", TimeSpan.FromHours(2), TimeSpan.FromHours(2)));
        hosts.Add(second);
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o =>
        {
            (o.WorkerId, o.Capacity) = ("solo", 4);
            o.HeartbeatInterval = TimeSpan.FromHours(1);
        }));
        var dispatchers = new[] { first, second }.Select(h => h.Services.GetRequiredService<SlotAllocator>()).ToList();
        await Eventually.UntilAsync(
            () => Task.FromResult(dispatchers.Count(d => d.Snapshot().Any(w => w.Snapshot.WorkerId == "solo" && w.IsAlive))),
            n => n == 2,
            TimeSpan.FromSeconds(30),
            "both dispatchers know the worker");
        var producer = await FleetHosts.StartClientAsync(rabbit);
        hosts.Add(producer);
        var client = producer.Services.GetRequiredService<WorkFleetClient>();

        // Act
        var tasks = Enumerable.Range(0, 4)
            .Select(i => client.CreateTask("compute.matmul", TestJobs.Parse($$"""{"size":512,"seed":{{i}},"repeat":100}""")))
            .ToList();
        await client.SubmitManyAsync(tasks);

        // Assert: each dispatcher counts all four, its own and the other's, while they run.
        await Eventually.UntilAsync(
            () => Task.FromResult(dispatchers.Select(d => d.Snapshot().Single(w => w.Snapshot.WorkerId == "solo").EstimatedLoad).ToList()),
            loads => loads.All(l => l == 4),
            TimeSpan.FromSeconds(20),
            "both dispatchers count the worker's four attempts");
    }
}
