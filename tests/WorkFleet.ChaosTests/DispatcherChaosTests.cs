using System.Globalization;
using RabbitMQ.Client;
using WorkFleet.Contracts;

namespace WorkFleet.ChaosTests;

/// <summary>The dispatcher crashes and restarts, or runs as two replicas.</summary>
[Collection(ChaosCollection.Name)]
[Trait("Category", "Chaos")]
public sealed class DispatcherChaosTests(InfrastructureFixture infrastructure, ITestOutputHelper output)
{
    private const int TaskCount = 1000;
    private const int Capacity = 4;
    private static readonly string[] WorkerIds = ["w1", "w2", "w3"];

    [Fact]
    public async Task DispatcherKilled_RestartedMidRun_NothingLostNorDuplicated()
    {
        // Arrange
        await using var fleet = await ChaosFleet.CreateAsync(infrastructure, "dispatcher", output);
        await fleet.StartAsync(WorkerIds, Capacity);
        var first = fleet.Dispatchers[0];
        var ids = (await fleet.SubmitAsync(TaskCount, ChaosJobs.MatMul)).Select(t => t.TaskId).ToList();

        // Act: the dispatcher crashes a quarter of the way in (holding unacknowledged submits, with
        // attempts in flight and results on their way) and a new one takes over.
        var before = await fleet.WaitForTerminalAsync(ids, TaskCount / 4);
        await first.KillAsync();
        fleet.Log($"SIGKILLed dispatcher-1 at {before}");
        await fleet.StartDispatcherAsync("dispatcher-restarted");
        var finished = await fleet.WaitForAllTerminalAsync(ids, deadline: TimeSpan.FromSeconds(120), stall: TimeSpan.FromSeconds(30));

        // Assert: all Succeeded, each recorded once with one deciding attempt.
        var audit = await fleet.AuditAsync(ids);
        audit.AssertExactlyOnce(context: fleet.DescribeProcesses(40));
        Assert.True(finished, "not every task ended");
        fleet.Log($"tasks needing more than one attempt (no worker failed, so ideally none): {audit.Tasks.Values.Count(t => t.Attempt > 1)}");
    }

    [Fact]
    public async Task CostAwareDispatcherKilled_RestartedWithCostedAttemptsOpen_NothingLostNorDuplicated_NoWorkerOverCapacity()
    {
        // Arrange: the cost-aware strategy and hinted tasks, so the dispatcher killed leaves costed attempts open in the
        // store, which its successor restores at start into its ledger and its forecast (sent at dispatched_at, ending
        // at dispatched_at + the stored hint), then places the rest around them.
        var costAware = new Dictionary<string, string> { ["WorkFleet__Dispatcher__Strategy"] = "cost-aware" };
        await using var fleet = await ChaosFleet.CreateAsync(infrastructure, "costawarerestart", output);
        await fleet.StartAsync(WorkerIds, Capacity, dispatcherOverrides: costAware);
        var ids = (await fleet.SubmitAsync(TaskCount, HintedMatMul)).Select(t => t.TaskId).ToList();

        // Act
        var before = await fleet.WaitForTerminalAsync(ids, TaskCount / 4);
        await fleet.Dispatchers[0].KillAsync();
        fleet.Log($"SIGKILLed the cost-aware dispatcher at {before}");
        var restarted = await fleet.StartDispatcherAsync("dispatcher-restarted", costAware);
        var finished = await fleet.WaitForAllTerminalAsync(ids, deadline: TimeSpan.FromSeconds(120), stall: TimeSpan.FromSeconds(30));

        // Assert: the successor did start with open attempts to restore ...
        var ready = restarted.Output.Tail().FirstOrDefault(line => line.Contains("Dispatcher ready:", StringComparison.Ordinal)) ?? "";
        var openAtStart = System.Text.RegularExpressions.Regex.Match(ready, @"(\d+) open attempts in the ledger") is { Success: true } match
            ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : 0;
        Assert.True(openAtStart > 0, $"the restarted dispatcher should report the open attempts it restored; it said: {ready}{Environment.NewLine}{fleet.DescribeProcesses(40)}");

        // ... and every task Succeeded once, with one deciding attempt, no worker running more than its capacity.
        var audit = await fleet.AuditAsync(ids);
        audit.AssertExactlyOnce(context: fleet.DescribeProcesses(40));
        Assert.True(finished, "not every task ended");
        foreach (var worker in WorkerIds)
        {
            var ran = audit.Attempts.Where(a => a.WorkerId == worker && a.StartedAt is not null && a.FinishedAt is not null);
            Assert.InRange(RecordedAttempts.MaxConcurrent(ran.Select(a => (a.StartedAt!.Value, a.FinishedAt!.Value))), 1, Capacity);
        }

        fleet.Log($"{openAtStart} open attempts restored; tasks needing more than one attempt: {audit.Tasks.Values.Count(t => t.Attempt > 1)}");
    }

    [Fact]
    public async Task TwoDispatchers_RunTogether_NoDoubleDispatch()
    {
        // Arrange: two dispatcher replicas (the second once the first has migrated the schema), three workers.
        await using var fleet = await ChaosFleet.CreateAsync(infrastructure, "twodispatchers", output);
        await fleet.StartAsync(WorkerIds, Capacity, dispatchers: 2);
        var consumers = await SubmitQueueConsumersAsync(fleet.Broker.Admin);
        Assert.True(consumers >= 2, $"{QueueNames.Submit} has {consumers} consumer(s); both dispatchers should compete for it.{Environment.NewLine}{fleet.DescribeProcesses(40)}");

        // Act
        var ids = (await fleet.SubmitAsync(TaskCount, ChaosJobs.MatMul)).Select(t => t.TaskId).ToList();
        var finished = await fleet.WaitForAllTerminalAsync(ids, deadline: TimeSpan.FromSeconds(120), stall: TimeSpan.FromSeconds(30));

        // Assert: every task dispatched once (no worker failed, so one attempt each) and recorded once.
        var audit = await fleet.AuditAsync(ids);
        audit.AssertExactlyOnce(context: fleet.DescribeProcesses(40));
        Assert.True(finished, "not every task ended");
        var multi = audit.Tasks.Values.Where(t => audit.AttemptsOf[t.Id].Count() > 1).ToList();
        Assert.True(audit.Attempts.Count == ids.Count && multi.Count == 0,
            $"{audit.Attempts.Count} attempts for {ids.Count} tasks; {multi.Count} task(s) dispatched more than once, e.g. {multi.FirstOrDefault()?.Id}.{Environment.NewLine}{audit.Summary()}");

        // No worker ran more than its capacity at once; how full the two dispatchers kept each worker is reported.
        foreach (var worker in WorkerIds)
        {
            var mine = audit.Attempts.Where(a => a.WorkerId == worker).ToList();
            var running = RecordedAttempts.MaxConcurrent(mine.Where(a => a.StartedAt is not null && a.FinishedAt is not null).Select(a => (a.StartedAt!.Value, a.FinishedAt!.Value)));
            var held = RecordedAttempts.MaxConcurrent(mine.Where(a => a.CompletedAt is not null).Select(a => (a.DispatchedAt, a.CompletedAt!.Value)));
            var settled = mine.Min(a => a.DispatchedAt) + TimeSpan.FromSeconds(5);
            var heldSettled = RecordedAttempts.MaxConcurrent(mine.Where(a => a.CompletedAt is not null && a.DispatchedAt > settled).Select(a => (a.DispatchedAt, a.CompletedAt!.Value)));
            var overFull = ShareOfTimeAbove(Capacity, mine.Where(a => a.CompletedAt is not null && a.DispatchedAt > settled).Select(a => (a.DispatchedAt, a.CompletedAt!.Value)));
            fleet.Log(string.Create(CultureInfo.InvariantCulture, $"{worker}: {mine.Count} attempts, at most {running} running at once, at most {held} held (sent..result) at once, {heldSettled} after the first 5 s, above capacity {overFull:P1} of that time; capacity {Capacity}"));
            Assert.InRange(running, 1, Capacity);

            // Replicas count each other's attempts by broadcast, and an end carries the attempts its sender put
            // on the freed slot, so once running they keep each worker at its capacity almost all the time; a
            // surplus task slips in only when both take a slot within a message's latency (on this shared
            // machine, tens of ms). In the first seconds both start on an idle fleet at once, before any
            // broadcast arrives: together they may then hold up to twice the capacity (the surplus waits in the
            // worker's queue). A leaking or double-counting ledger, or replicas blind to each other (as with
            // heartbeats only), keep workers over capacity most of the time and break these bounds.
            // Measured 0-13.8 % on this shared 2-core machine (the start's surplus can outlast the first 5 s);
            // blind replicas sit at twice the capacity nearly all the time.
            Assert.True(overFull <= 0.25, string.Create(CultureInfo.InvariantCulture, $"{worker} held more than its capacity {overFull:P1} of the time after the first 5 s"));
            Assert.InRange(held, 1, Capacity * 2);
        }
    }

    /// <summary>A <see cref="ChaosJobs.MatMul"/> task with a cost hint that grows with its size (2, 4, 6 or 8 ms).</summary>
    private static SubmitTask HintedMatMul(WorkFleet.Client.WorkFleetClient client, int index) =>
        ChaosJobs.MatMul(client, index) with { ExpectedCost = 2 + (index % 4 * 2) };

    private static async Task<uint> SubmitQueueConsumersAsync(RabbitMqEndpoint rabbit)
    {
        await using var connection = await rabbit.CreateConnectionFactory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = await channel.QueueDeclarePassiveAsync(QueueNames.Submit);
        return queue.ConsumerCount;
    }

    /// <summary>Share of the time from the first start to the last end during which more than <paramref name="limit"/> intervals overlap.</summary>
    private static double ShareOfTimeAbove(int limit, IEnumerable<(DateTime Start, DateTime End)> intervals)
    {
        var events = intervals.SelectMany(i => new[] { (At: i.Start, Delta: 1), (At: i.End, Delta: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Delta).ToList();
        if (events.Count == 0)
        {
            return 0;
        }

        var open = 0;
        var above = TimeSpan.Zero;
        for (var i = 0; i < events.Count - 1; i++)
        {
            open += events[i].Delta;
            if (open > limit)
            {
                above += events[i + 1].At - events[i].At;
            }
        }

        var span = events[^1].At - events[0].At;
        return span > TimeSpan.Zero ? above / span : 0;
    }
}
