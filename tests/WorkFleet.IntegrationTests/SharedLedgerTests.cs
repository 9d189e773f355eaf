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
        // dispatcher what the other sent; four long tasks, shared by the two dispatchers as the broker deals them.
        // They sleep rather than compute: four CPU-bound tasks on this 2-core machine starved the dispatchers of the
        // CPU to consume each other's broadcasts until the tasks ended (measured: 1 run in 4 failed that way).
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("ledger"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("ledger"));
        await using var hosts = new RunningHosts();
        var first = await FleetHosts.StartDispatcherAsync(rabbit, database, o => (o.DispatcherId, o.LivenessTimeout, o.LostTimeout) = ("d-one", TimeSpan.FromHours(2), TimeSpan.FromHours(2)));
        hosts.Add(first);
        var second = await FleetHosts.StartDispatcherAsync(rabbit, database, o => (o.DispatcherId, o.LivenessTimeout, o.LostTimeout) = ("d-two", TimeSpan.FromHours(2), TimeSpan.FromHours(2)));
        hosts.Add(second);
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o =>
        {
            (o.WorkerId, o.Capacity, o.EnableDiagnosticJobs) = ("solo", 4, true);
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
            .Select(_ => client.CreateTask("diagnostics.sleep", TestJobs.Parse("""{"ms":8000}""")))
            .ToList();
        await client.SubmitManyAsync(tasks);

        // Assert: each dispatcher counts every open attempt on the worker, its own and the other's: at one moment both
        // loads equal the attempts the two hold together, and there are at least two. Not that all four run at once:
        // the broker deals the submits, and how many are in flight together is not promised.
        await Eventually.UntilAsync(
            () => Task.FromResult(Ledgers()),
            seen => seen.Together >= 2 && seen.Loads.All(l => l == seen.Together),
            TimeSpan.FromSeconds(30),
            "both dispatchers count every open attempt on the worker");

        LedgerReading Ledgers()
        {
            var own = dispatchers.Select(d => d.OwnAssignments().Count(a => a.WorkerId == "solo")).ToList();
            var loads = dispatchers.Select(d => d.Snapshot().Single(w => w.Snapshot.WorkerId == "solo").EstimatedLoad).ToList();
            return new LedgerReading(own, loads);
        }
    }

    /// <summary>Per dispatcher: the attempts on the worker it sent itself, and the load it counts there.</summary>
    private sealed record LedgerReading(IReadOnlyList<int> Own, IReadOnlyList<int> Loads)
    {
        public int Together => Own.Sum();

        public override string ToString() => $"own [{string.Join(", ", Own)}], loads [{string.Join(", ", Loads)}]";
    }
}
