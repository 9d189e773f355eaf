using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;

namespace WorkFleet.IntegrationTests;

[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class EndToEndTests(InfrastructureFixture infrastructure)
{
    private static readonly (string Id, double Weight, int Capacity)[] Workers = [("w1", 1, 2), ("w2", 2, 4), ("w4", 4, 8)];

    [Fact]
    public async Task Submit500_ThreeWeightedWorkers_AllRecordedWithinCapacity()
    {
        // Arrange: a real broker and database, a dispatcher and three worker hosts of weights 1, 2, 4.
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("e2e"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("e2e"));
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database));
        foreach (var (id, weight, capacity) in Workers)
        {
            hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Weight, o.Capacity) = (id, weight, capacity)));
        }

        var producer = await FleetHosts.StartClientAsync(rabbit);
        hosts.Add(producer);
        var client = producer.Services.GetRequiredService<WorkFleetClient>();
        var tasks = Enumerable.Range(0, 500).Select(i =>
        {
            var (jobType, payload) = TestJobs.Mixed(i);
            return client.CreateTask(jobType, payload);
        }).ToList();

        // Act
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var outcomes = tasks.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();
        await client.SubmitManyAsync(tasks);
        var finished = await Task.WhenAll(outcomes);

        // Assert: every outcome, result and attempt is in PostgreSQL.
        Assert.All(finished, f => Assert.Equal(TaskOutcome.Succeeded, f.Outcome));
        await using var db = Store.Open(database);
        var stored = await db.Tasks.AsNoTracking().ToListAsync();
        Assert.Equal(500, stored.Count);
        Assert.All(stored, t =>
        {
            Assert.Equal(TaskState.Succeeded, t.Status);
            Assert.False(string.IsNullOrEmpty(t.Result));
            Assert.Equal(1, t.Attempt);
        });
        Assert.Equal(tasks.Select(t => t.TaskId).Order(), stored.Select(t => t.Id).Order());

        var attempts = await db.TaskAttempts.AsNoTracking().ToListAsync();
        Assert.Equal(500, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(AttemptState.Succeeded, a.Status));

        var heartbeats = await db.Workers.AsNoTracking().ToListAsync();
        Assert.Equal(Workers.Select(w => w.Id).Order(), heartbeats.Select(w => w.Id).Order());

        // No worker ever held more than its capacity: neither in the dispatcher's hold interval
        // (sent .. result stored) nor in the worker's execution interval (start .. finish).
        foreach (var (id, weight, capacity) in Workers)
        {
            var mine = attempts.Where(a => a.WorkerId == id).ToList();
            Assert.InRange(RecordedAttempts.MaxConcurrent(mine.Select(a => (a.DispatchedAt, a.CompletedAt!.Value))), 1, capacity);
            Assert.InRange(RecordedAttempts.MaxConcurrent(mine.Select(a => (a.StartedAt!.Value, a.FinishedAt!.Value))), 1, capacity);
            Assert.Equal(weight, heartbeats.Single(w => w.Id == id).Weight);
        }

        // Heavier workers take more of the work.
        var share = Workers.Select(w => attempts.Count(a => a.WorkerId == w.Id)).ToList();
        Assert.True(share[0] < share[1] && share[1] < share[2], $"completions by weight 1,2,4: {string.Join(", ", share)}");
    }
}
