using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;

namespace WorkFleet.IntegrationTests;

[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class CapabilityRoutingTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task GpuTasks_MixedFleet_OnlyCapableWorkersReceiveThem_AndUnmetCapabilityFailsFast()
    {
        // Arrange: two GPU workers and a CPU-only worker that is the fastest and emptiest on paper.
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("caps"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("caps"));
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database, o => o.UnsupportedJobGracePeriod = TimeSpan.FromSeconds(2)));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => { (o.WorkerId, o.Weight, o.Capacity) = ("gpu-a", 1, 2); o.Capabilities = ["gpu"]; }));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => { (o.WorkerId, o.Weight, o.Capacity) = ("gpu-b", 1, 2); o.Capabilities = ["gpu", "avx512"]; }));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Weight, o.Capacity) = ("cpu-only", 8, 16)));
        var producer = await FleetHosts.StartClientAsync(rabbit);
        hosts.Add(producer);
        var client = producer.Services.GetRequiredService<WorkFleetClient>();
        var gpuTasks = Enumerable.Range(0, 30)
            .Select(i => client.CreateTask("compute.matmul", TestJobs.Parse($$"""{"size":24,"seed":{{i}}}"""), requiredCapabilities: ["gpu"]))
            .ToList();
        var anyTasks = Enumerable.Range(0, 30)
            .Select(i => client.CreateTask("compute.matmul", TestJobs.Parse($$"""{"size":24,"seed":{{i}}}""")))
            .ToList();
        var tpuTask = client.CreateTask("compute.matmul", TestJobs.Parse("""{"size":8}"""), requiredCapabilities: ["tpu"]);

        // Act
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var all = gpuTasks.Concat(anyTasks).Append(tpuTask).ToList();
        var outcomes = all.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();
        await client.SubmitManyAsync(all);
        var finished = (await Task.WhenAll(outcomes)).ToDictionary(f => f.TaskId);

        // Assert: GPU tasks ran only on GPU workers (every attempt, from the store).
        await using var db = Store.Open(database);
        var gpuIds = gpuTasks.Select(t => t.TaskId).ToHashSet();
        var gpuAttempts = (await db.TaskAttempts.AsNoTracking().ToListAsync()).Where(a => gpuIds.Contains(a.TaskId)).ToList();
        Assert.Equal(30, gpuAttempts.Count);
        Assert.All(gpuAttempts, a => Assert.StartsWith("gpu-", a.WorkerId, StringComparison.Ordinal));
        Assert.All(gpuTasks, t => Assert.Equal(TaskOutcome.Succeeded, finished[t.TaskId].Outcome));

        // Unconstrained tasks may go anywhere; the fast CPU worker takes most of them.
        Assert.All(anyTasks, t => Assert.Equal(TaskOutcome.Succeeded, finished[t.TaskId].Outcome));
        Assert.Contains(anyTasks, t => finished[t.TaskId].WorkerId == "cpu-only");

        // Nobody offers "tpu": the task fails fast with an error that names the missing capability.
        var tpu = await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == tpuTask.TaskId);
        Assert.Equal(TaskState.Failed, tpu.Status);
        Assert.Equal("no-capable-worker", tpu.ErrorKind);
        Assert.Contains("tpu", tpu.Error, StringComparison.Ordinal);
        Assert.Equal(0, await db.TaskAttempts.CountAsync(a => a.TaskId == tpuTask.TaskId));
    }
}
