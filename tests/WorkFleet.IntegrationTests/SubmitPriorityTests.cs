using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WorkFleet.Balancing.CostAware;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Observability;

namespace WorkFleet.IntegrationTests;

/// <summary>
/// Two cost-aware dispatchers at different submit priorities: the broker gives every submit to the higher one while
/// it is up (one line orders and places them all), and to the other once it is gone.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class SubmitPriorityTests(InfrastructureFixture infrastructure)
{
    private const int Wave = 24;

    [Fact]
    public async Task TwoCostAwareDispatchers_HigherPriorityTakesEverySubmit_OtherTakesOverWhenItStops()
    {
        // Arrange: the standby starts first, so that the leader's subscription is the later one; one worker.
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("priority"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("priority"));
        await using var hosts = new RunningHosts();
        var standby = hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database, o => (o.DispatcherId, o.Strategy, o.SubmitPriority) = ("d-standby", CostAwarePlacement.StrategyName, 1)));
        var leader = hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database, o => (o.DispatcherId, o.Strategy, o.SubmitPriority) = ("d-leader", CostAwarePlacement.StrategyName, 2)));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Capacity, o.EnableDiagnosticJobs) = ("solo", 4, true)));
        var producer = hosts.Add(await FleetHosts.StartClientAsync(rabbit));
        var client = producer.Services.GetRequiredService<WorkFleetClient>();

        // Act 1: a wave of submits, one message each, fewer than the leader may hold (SubmitConcurrency).
        await RunWaveAsync(client);

        // Assert 1: the leader sent (nearly) every attempt. The broker gives a lower-priority consumer a message only
        // while the higher one is blocked: its prefetch full (not with 24 of 256) or its channel momentarily congested,
        // which a busy machine may cause once in a while. Equal priorities deal the wave out evenly (measured: 12/12).
        var standbyFirstWave = Metrics(standby).AttemptsDispatched;
        Assert.Equal(Wave, Metrics(leader).AttemptsDispatched + standbyFirstWave);
        Assert.InRange(standbyFirstWave, 0, 3);

        // Act 2: the leader stops; another wave.
        await leader.StopAsync();
        await RunWaveAsync(client);

        // Assert 2: the standby took them all.
        Assert.Equal(Wave, Metrics(standby).AttemptsDispatched - standbyFirstWave);
    }

    private static async Task RunWaveAsync(WorkFleetClient client)
    {
        var tasks = Enumerable.Range(0, Wave)
            .Select(i => client.CreateTask("diagnostics.sleep", TestJobs.Parse($$"""{"ms":{{10 + i}}}"""), expectedCost: 10 + i))
            .ToList();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var outcomes = tasks.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();
        foreach (var task in tasks)
        {
            await client.SubmitAsync(task, deadline.Token);
        }

        Assert.All(await Task.WhenAll(outcomes), f => Assert.Equal(TaskOutcome.Succeeded, f.Outcome));
    }

    private static DispatcherMetrics Metrics(IHost dispatcher) => dispatcher.Services.GetRequiredService<DispatcherMetrics>();
}
