using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;

namespace WorkFleet.IntegrationTests;

[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class BadInputTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task UnknownJobTypeAndMalformedPayload_StoredAsFailedWithClearError_FleetKeepsServing()
    {
        // Arrange
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("bad"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("bad"));
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database, o => o.UnsupportedJobGracePeriod = TimeSpan.FromSeconds(2)));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Capacity) = ("only", 4)));
        var producer = await FleetHosts.StartClientAsync(rabbit);
        hosts.Add(producer);
        var client = producer.Services.GetRequiredService<WorkFleetClient>();
        var unknown = client.CreateTask("vision.no-such-job", TestJobs.Parse("""{"x":1}"""));
        var malformed = client.CreateTask("compute.matmul", TestJobs.Parse("""{"size":"not a number"}"""));
        var outOfRange = client.CreateTask("compute.matmul", TestJobs.Parse("""{"size":100000}"""));
        var badPriority = client.CreateTask("compute.matmul", TestJobs.Parse("""{"size":8}""")) with { Priority = 42 };
        var good = Enumerable.Range(0, 20).Select(i => client.CreateTask("compute.matmul", TestJobs.Parse($$"""{"size":16,"seed":{{i}}}"""))).ToList();

        // Act: the bad ones first, the good ones right behind them.
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var all = new[] { unknown, malformed, outOfRange, badPriority }.Concat(good).ToList();
        var outcomes = all.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();
        await client.SubmitManyAsync(all);
        var finished = (await Task.WhenAll(outcomes)).ToDictionary(f => f.TaskId);

        // Assert: each bad task is stored Failed with an error that names the problem.
        await using var db = Store.Open(database);
        var stored = await db.Tasks.AsNoTracking().ToDictionaryAsync(t => t.Id);
        AssertFailed(stored[unknown.TaskId], "no-capable-worker", "vision.no-such-job");
        AssertFailed(stored[malformed.TaskId], "invalid-input", "size");
        AssertFailed(stored[outOfRange.TaskId], "invalid-input", "size");
        AssertFailed(stored[badPriority.TaskId], "invalid-task", "priority");
        Assert.Equal(TaskOutcome.Failed, finished[unknown.TaskId].Outcome);
        Assert.Contains("vision.no-such-job", finished[unknown.TaskId].Error, StringComparison.Ordinal);

        // ... and the fleet kept serving everything else.
        Assert.All(good, t => Assert.Equal(TaskOutcome.Succeeded, finished[t.TaskId].Outcome));
        Assert.All(good, t => Assert.Equal(TaskState.Succeeded, stored[t.TaskId].Status));
    }

    private static void AssertFailed(TaskRecord task, string errorKind, string mentioned)
    {
        Assert.Equal(TaskState.Failed, task.Status);
        Assert.Equal(errorKind, task.ErrorKind);
        Assert.Contains(mentioned, task.Error, StringComparison.Ordinal);
        Assert.NotNull(task.FinishedAt);
    }
}
