using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Balancing.CostAware;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Persistence;

namespace WorkFleet.IntegrationTests;

/// <summary>The <c>cost-aware</c> strategy on the real broker and database.</summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class CostAwareDispatchTests(InfrastructureFixture infrastructure)
{
    private const string Sleep = "diagnostics.sleep";

    [Fact]
    public async Task CostAware_HintedTasksOnAMixedFleet_EachCompletesExactlyOnce_HintStored_CostLearned()
    {
        // Arrange: a slow and a fast worker; tasks of 5..120 ms with matching hints.
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("cost"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("cost"));
        await using var hosts = new RunningHosts();
        var dispatcher = await FleetHosts.StartDispatcherAsync(rabbit, database, o => o.Strategy = CostAwarePlacement.StrategyName);
        hosts.Add(dispatcher);
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Weight, o.Capacity, o.EnableDiagnosticJobs) = ("slow", 1, 2, true)));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Weight, o.Capacity, o.EnableDiagnosticJobs) = ("fast", 3, 2, true)));
        var producer = await FleetHosts.StartClientAsync(rabbit);
        hosts.Add(producer);
        var client = producer.Services.GetRequiredService<WorkFleetClient>();
        var tasks = Enumerable.Range(0, 60)
            .Select(i => (Ms: 5 + (i * 37 % 116), Index: i))
            .Select(t => client.CreateTask(Sleep, TestJobs.Parse($$"""{"ms":{{t.Ms}},"note":"{{new string('x', 4 * t.Ms)}}"}"""), expectedCost: t.Ms))
            .ToList();

        // Act
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var outcomes = tasks.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();
        await client.SubmitManyAsync(tasks);
        var finished = await Task.WhenAll(outcomes);

        // Assert: every task succeeded, with exactly one attempt, and kept its hint.
        Assert.All(finished, f => Assert.Equal(TaskOutcome.Succeeded, f.Outcome));
        await using var db = Store.Open(database);
        var ids = tasks.Select(t => t.TaskId).ToHashSet();
        var attempts = (await db.TaskAttempts.AsNoTracking().ToListAsync()).Where(a => ids.Contains(a.TaskId)).ToList();
        Assert.Equal(tasks.Count, attempts.Count);
        Assert.Equal(tasks.Count, attempts.Select(a => a.TaskId).Distinct().Count());
        var stored = await db.Tasks.AsNoTracking().ToDictionaryAsync(t => t.Id);
        Assert.All(tasks, t => Assert.Equal(t.ExpectedCost, stored[t.TaskId].ExpectedCostMs));

        // The dispatcher learned the job type's cost, and a new one learns it from the store's history.
        Assert.NotNull(dispatcher.Services.GetRequiredService<JobCostEstimates>().ExpectedCostMs(Sleep));
        var restarted = new JobCostEstimates();
        var read = await dispatcher.Services.GetRequiredService<JobCostHistory>().WarmUpAsync(restarted, CancellationToken.None);
        Assert.Equal(tasks.Count, read);
        Assert.InRange(restarted.ExpectedCostMs(Sleep)!.Value, 5, 3 * 200);

        // It read the payload sizes too (each task's note makes its payload 4 characters longer per ms it sleeps): from
        // the same 60 attempts (fewer than the estimator's window, so their order does not matter) it learned what the
        // live dispatcher learned, the line against payload size included.
        var live = Assert.Single(dispatcher.Services.GetRequiredService<JobCostEstimates>().Snapshot());
        var warm = Assert.Single(restarted.Snapshot());
        Assert.Equal(live.ExpectedCostMs!.Value, warm.ExpectedCostMs!.Value, tolerance: 0.01);
        // Whether size is used at all depends on how well it explained the run times (r² ≥ 0.25: on a loaded machine the
        // jobs' own delays may blur it), so the check is that both agree, line or no line.
        Assert.Equal(live.MsPerPayloadChar.HasValue, warm.MsPerPayloadChar.HasValue);
        if (live.MsPerPayloadChar is { } slope)
        {
            Assert.Equal(slope, warm.MsPerPayloadChar!.Value, tolerance: 1e-3 * slope);
        }
    }

    [Fact]
    public async Task CostAware_LongTaskAmongAStreamOfShortOnes_NoShortTaskArrivedAfterItsDueTimeStartsBeforeIt()
    {
        // Arrange: one slot. A long task (300 ms, due 300 ms after it arrives: A = 1), then a stream of 20 ms tasks that
        // keeps the slot busy; shortest-first alone would let the stream pass the long task for as long as it lasts.
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("aging"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("aging"));
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database, o => o.Strategy = CostAwarePlacement.StrategyName));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Weight, o.Capacity, o.EnableDiagnosticJobs) = ("only", 1, 1, true)));
        var producer = await FleetHosts.StartClientAsync(rabbit);
        hosts.Add(producer);
        var client = producer.Services.GetRequiredService<WorkFleetClient>();
        var blocker = client.CreateTask(Sleep, TestJobs.Parse("""{"ms":100}"""), expectedCost: 100);
        var longTask = client.CreateTask(Sleep, TestJobs.Parse("""{"ms":300}"""), expectedCost: 300);
        var shortTasks = new List<SubmitTask>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var outcomes = new List<Task<TaskFinished>> { client.WaitAsync(blocker.TaskId, deadline.Token), client.WaitAsync(longTask.TaskId, deadline.Token) };

        // Act: the blocker, the long task, then 20 ms tasks in small bursts for about 2 s.
        await client.SubmitAsync(blocker);
        await client.SubmitAsync(longTask);
        for (var burst = 0; burst < 40; burst++)
        {
            var batch = Enumerable.Range(0, 3).Select(_ => client.CreateTask(Sleep, TestJobs.Parse("""{"ms":20}"""), expectedCost: 20)).ToList();
            shortTasks.AddRange(batch);
            outcomes.AddRange(batch.Select(t => client.WaitAsync(t.TaskId, deadline.Token)));
            await client.SubmitManyAsync(batch);
            await Task.Delay(50);
        }

        var finished = await Task.WhenAll(outcomes);

        // Assert: on the dispatcher's clock (created_at: arrival; the attempt's dispatched_at: start), no short task that
        // arrived after the long one was due (with 100 ms for the step from arrival to joining the line) started first.
        Assert.All(finished, f => Assert.Equal(TaskOutcome.Succeeded, f.Outcome));
        await using var db = Store.Open(database);
        var stored = await db.Tasks.AsNoTracking().ToDictionaryAsync(t => t.Id);
        var started = (await db.TaskAttempts.AsNoTracking().ToListAsync()).ToDictionary(a => a.TaskId, a => a.DispatchedAt);
        var due = stored[longTask.TaskId].CreatedAt + TimeSpan.FromMilliseconds(300 + 100);
        var arrivedAfterDue = shortTasks.Where(t => stored[t.TaskId].CreatedAt > due).ToList();
        Assert.NotEmpty(arrivedAfterDue);
        Assert.All(arrivedAfterDue, t => Assert.True(
            started[t.TaskId] > started[longTask.TaskId],
            $"Task {t.TaskId} arrived {stored[t.TaskId].CreatedAt:HH:mm:ss.fff}, after the long task was due ({due:HH:mm:ss.fff}), and started {started[t.TaskId]:HH:mm:ss.fff}, before it ({started[longTask.TaskId]:HH:mm:ss.fff})."));
    }
}
