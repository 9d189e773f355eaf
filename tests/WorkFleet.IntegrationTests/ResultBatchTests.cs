using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;
using WorkFleet.IntegrationTests.Security;
using WorkFleet.Jobs.BuiltIn;
using WorkFleet.Messaging.Security;

namespace WorkFleet.IntegrationTests;

/// <summary>
/// Workers send the results that finish while a result send is in flight together in one <see cref="TaskResultBatch"/>;
/// the dispatcher records each item once, however often the batch is delivered.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class ResultBatchTests(InfrastructureFixture infrastructure)
{
    private const int TasksPerRound = 64;
    private const int MaxRounds = 10;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ManyFastTasks_OneWorkerOfCapacity8_EachRecordedOnce_AndSomeResultsShareABatch()
    {
        // Arrange
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("resultbatch"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("resultbatch"));
        await using var hosts = new RunningHosts();
        var dispatcher = hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database));
        using var batches = ResultBatchArrivals.Watch(dispatcher.Services.GetRequiredService<IBus>());
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o =>
        {
            o.WorkerId = "batching-worker";
            o.Capacity = 8;
        }));
        var client = hosts.Add(await FleetHosts.StartClientAsync(rabbit)).Services.GetRequiredService<WorkFleetClient>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));

        // Act: rounds of near-no-op tasks until some results finished while another was being sent (the scheduler
        // decides when that happens, so the rounds go on until it did, up to a bound).
        var submitted = new List<Guid>();
        for (var round = 0; round < MaxRounds && batches.LargestBatch < 2; round++)
        {
            var tasks = Enumerable.Range(0, TasksPerRound)
                .Select(i => client.CreateTask(BuiltInJobTypes.Normalize, TestJobs.Parse($$"""{"vectors":[[{{i + 1}},{{round + 1}}]]}""")))
                .ToList();
            var outcomes = tasks.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();
            await Task.WhenAll(tasks.Select(t => client.SubmitAsync(t, deadline.Token)));
            Assert.All(await Task.WhenAll(outcomes), o => Assert.Equal(TaskOutcome.Succeeded, o.Outcome));
            submitted.AddRange(tasks.Select(t => t.TaskId));
        }

        // Assert: batching happened, and every task ran and was recorded exactly once.
        Assert.True(batches.LargestBatch > 1, $"no batch of more than one result in {submitted.Count} tasks");
        Assert.All(batches.Seen, b => Assert.Equal("batching-worker", b.WorkerId));
        await using var db = Store.Open(database);
        var stored = await db.Tasks.AsNoTracking().Where(t => submitted.Contains(t.Id)).Select(t => new { t.Status, t.Attempt }).ToListAsync();
        Assert.Equal(submitted.Count, stored.Count);
        Assert.All(stored, t => Assert.Equal((TaskState.Succeeded, 1), (t.Status, t.Attempt)));
        var attempts = await db.TaskAttempts.AsNoTracking().Where(a => submitted.Contains(a.TaskId)).Select(a => new { a.TaskId, a.Status }).ToListAsync();
        Assert.Equal(submitted.Count, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(AttemptState.Succeeded, a.Status));
    }

    [Fact]
    public async Task ResultBatch_DeliveredTwiceAfterAPartlyRecordedOne_RecordsEachOutcomeOnce()
    {
        // Arrange: the worker is played by the test, so the attempts stay open until it sends their results.
        const string workerId = "rerun-worker";
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("rerun"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("rerun"));
        await using var hosts = new RunningHosts();
        var dispatcher = hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database));
        using var batches = ResultBatchArrivals.Watch(dispatcher.Services.GetRequiredService<IBus>());
        var client = hosts.Add(await FleetHosts.StartClientAsync(rabbit)).Services.GetRequiredService<WorkFleetClient>();
        await using var worker = await ImpostorBus.StartAsync(await BrokerRoleUsers.CreateAsync(infrastructure, rabbit, BrokerRoles.Worker, "rerun"));
        worker.BeatEvery500Ms(now => Beat(workerId, now));
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var tasks = Enumerable.Range(0, 3).Select(i => client.CreateTask(BuiltInJobTypes.Normalize, TestJobs.Parse($$"""{"vectors":[[{{i + 1}},1]]}"""))).ToList();
        var outcomes = tasks.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();
        await Task.WhenAll(tasks.Select(t => client.SubmitAsync(t, deadline.Token)));
        var ids = tasks.Select(t => t.TaskId).ToList();
        await using var db = Store.Open(database);
        await Eventually.UntilAsync(
            () => db.TaskAttempts.AsNoTracking().CountAsync(a => ids.Contains(a.TaskId) && a.WorkerId == workerId && a.Status == AttemptState.Dispatched),
            n => n == 3,
            Patience,
            "the three tasks dispatched to the played worker");

        // A first batch recorded only the first task (as if the dispatcher stopped after it, before the others).
        await worker.SendResultAsync(new TaskResultBatch { WorkerId = workerId, Completed = [Completed(ids[0], workerId, run: 1)] });
        await Eventually.UntilAsync(() => Task.FromResult(batches.Consumed.Count), n => n == 1, Patience, "the first batch consumed");

        // Act: the whole batch, delivered twice, with other bodies than the recorded result.
        var batch = new TaskResultBatch
        {
            WorkerId = workerId,
            Completed = [Completed(ids[0], workerId, run: 2), Completed(ids[1], workerId, run: 2)],
            Failed = [new TaskFailed { TaskId = ids[2], Attempt = 1, WorkerId = workerId, Error = "no", ErrorKind = ErrorKinds.HandlerError, Retryable = false }],
        };
        await worker.SendResultAsync(batch);
        await worker.SendResultAsync(batch);
        await Eventually.UntilAsync(() => Task.FromResult(batches.Consumed.Count), n => n == 3, Patience, "both deliveries consumed");

        // Assert: one outcome each, the first recorded result kept, one attempt each.
        var finished = await Task.WhenAll(outcomes);
        Assert.Equal([TaskOutcome.Succeeded, TaskOutcome.Succeeded, TaskOutcome.Failed], finished.Select(f => f.Outcome));
        var stored = await db.Tasks.AsNoTracking().Where(t => ids.Contains(t.Id)).ToDictionaryAsync(t => t.Id);
        Assert.Equal((TaskState.Succeeded, 1, 1), (stored[ids[0]].Status, stored[ids[0]].Attempt, Run(stored[ids[0]].Result)));
        Assert.Equal((TaskState.Succeeded, 1, 2), (stored[ids[1]].Status, stored[ids[1]].Attempt, Run(stored[ids[1]].Result)));
        Assert.Equal((TaskState.Failed, 1), (stored[ids[2]].Status, stored[ids[2]].Attempt));
        var attempts = await db.TaskAttempts.AsNoTracking().Where(a => ids.Contains(a.TaskId)).ToListAsync();
        Assert.Equal(
            [(ids[0], AttemptState.Succeeded), (ids[1], AttemptState.Succeeded), (ids[2], AttemptState.Failed)],
            ids.Select(id => attempts.Where(a => a.TaskId == id).Select(a => (a.TaskId, a.Status)).Single()));
    }

    private static int Run(string? result) => JsonDocument.Parse(result!).RootElement.GetProperty("run").GetInt32();

    private static TaskCompleted Completed(Guid taskId, string workerId, int run) => new()
    {
        TaskId = taskId,
        Attempt = 1,
        WorkerId = workerId,
        Result = JsonSerializer.SerializeToElement(new { run }),
        StartedAt = DateTimeOffset.UtcNow,
        FinishedAt = DateTimeOffset.UtcNow,
    };

    private static WorkerHeartbeat Beat(string id, DateTimeOffset now) => new()
    {
        WorkerId = id,
        QueueName = QueueNames.ForWorker(id),
        Capacity = 4,
        JobTypes = [BuiltInJobTypes.Normalize],
        State = WorkerState.Active,
        StartedAt = now.AddMinutes(-1),
        SentAt = now,
    };
}
