using System.Diagnostics;

namespace WorkFleet.ChaosTests;

/// <summary>
/// RabbitMQ or PostgreSQL restarts under load (<c>docker restart</c> of the chaos collection's own
/// containers); the hosts must reconnect by themselves and the work resume.
/// </summary>
[Collection(ChaosCollection.Name)]
[Trait("Category", "Chaos")]
public sealed class ServerRestartTests(InfrastructureFixture infrastructure, ITestOutputHelper output)
{
    private const int TaskCount = 1000;

    /// <summary>Tasks that must end after the server is back for the work to count as resumed.</summary>
    private const int ResumedTasks = 50;

    /// <summary>
    /// How soon after the server accepts connections again the work must have resumed. The goal is 15 s (measured
    /// here: see the README); the bound is looser so that a busy 2-core CI machine does not fail the run.
    /// </summary>
    private static readonly TimeSpan ResumeDeadline = TimeSpan.FromSeconds(30);
    private static readonly string[] WorkerIds = ["w1", "w2", "w3"];

    [Fact]
    public async Task RabbitMqRestarted_MidRun_WorkResumes()
    {
        var broker = infrastructure.RabbitMq
            ?? throw new InvalidOperationException("This test restarts the broker container; it cannot run against an external RabbitMQ (WORKFLEET_TEST_RABBITMQ).");
        await RestartMidRunAsync("rabbitrestart", "RabbitMQ", broker, async fleet =>
        {
            await using var connection = await fleet.Broker.Admin.CreateConnectionFactory().CreateConnectionAsync();
        });
    }

    [Fact]
    public async Task PostgresRestarted_MidRun_WorkResumes()
    {
        var database = infrastructure.Postgres
            ?? throw new InvalidOperationException("This test restarts the database container; it cannot run against an external PostgreSQL (WORKFLEET_TEST_POSTGRES).");
        await RestartMidRunAsync("pgrestart", "PostgreSQL", database, async fleet =>
        {
            _ = await fleet.Progress.TryReadAsync() ?? throw new InvalidOperationException("PostgreSQL not readable yet");
        });
    }

    private async Task RestartMidRunAsync(string name, string server, DockerContainer container, Func<ChaosFleet, Task> probe)
    {
        // Arrange
        await using var fleet = await ChaosFleet.CreateAsync(infrastructure, name, output);
        await fleet.StartAsync(WorkerIds);
        var ids = (await fleet.SubmitAsync(TaskCount, ChaosJobs.MatMul)).Select(t => t.TaskId).ToList();

        // Act: restart the server a quarter of the way in; nobody touches the hosts.
        var before = await fleet.WaitForTerminalAsync(ids, TaskCount / 4);
        var restart = Stopwatch.StartNew();
        await container.RestartAsync();
        fleet.Log($"restarted {server} ({restart.Elapsed.TotalSeconds:0.0} s for docker restart) at {before}");
        await Eventually.UntilAsync(
            async () =>
            {
                try
                {
                    await probe(fleet);
                    return true;
                }
                catch (Exception exception) when (exception is not OutOfMemoryException)
                {
                    return false; // not up yet
                }
            },
            up => up,
            TimeSpan.FromSeconds(90),
            $"{server} accepting connections again");
        var serving = Stopwatch.StartNew();
        fleet.Log($"{server} serves again {restart.Elapsed.TotalSeconds:0.0} s after the restart began");

        // Work resumes in process: tasks finish again soon after the server is back, though no host was restarted.
        var resumed = await WaitForResumeAsync(fleet, ids, serving);
        var finished = await fleet.WaitForAllTerminalAsync(ids, deadline: TimeSpan.FromSeconds(150), stall: TimeSpan.FromSeconds(60));

        // Assert: the work resumed and every task Succeeded exactly once; no host gave up.
        var audit = await fleet.AuditAsync(ids);
        audit.AssertExactlyOnce(context: fleet.DescribeProcesses(40) + Environment.NewLine + $"--- {server} container log ---" + Environment.NewLine + await container.GetLogsAsync(30));
        Assert.True(finished, "not every task ended");
        Assert.True(resumed <= ResumeDeadline, $"work resumed {resumed.TotalSeconds:0.0} s after {server} accepted connections again; at most {ResumeDeadline.TotalSeconds:0} s expected");

        // No host crashed, and none needed the watchdog's last resort (exit code 75, restarted by the supervisor):
        // the dispatcher and the workers recovered in process.
        var restarted = fleet.Restarted;
        Assert.True(restarted.Count == 0, $"host(s) stopped with exit code 75 and were restarted by the supervisor during the {server} restart: {string.Join(", ", restarted.Select(p => p.Name))}{Environment.NewLine}{fleet.DescribeProcesses(60)}");
        var exited = fleet.Processes.Where(p => p.HasExited).ToList();
        Assert.True(exited.Count == 0, $"host(s) exited during the {server} restart: {string.Join(", ", exited.Select(p => $"{p.Name} ({p.ExitCode})"))}{Environment.NewLine}{fleet.DescribeProcesses(60)}");
        fleet.Log($"tasks needing more than one attempt: {audit.Tasks.Values.Count(t => t.Attempt > 1)}");
    }

    /// <summary>
    /// Waits until <see cref="ResumedTasks"/> more tasks are terminal than when the server served again (enough
    /// that the dispatcher dispatched new attempts and workers ran them, not only results queued before the
    /// restart); logs the first finished task and that moment, and returns the latter, measured from
    /// <paramref name="serving"/>.
    /// </summary>
    private static async Task<TimeSpan> WaitForResumeAsync(ChaosFleet fleet, List<Guid> ids, Stopwatch serving)
    {
        var atUp = await Eventually.UntilAsync(() => fleet.Progress.TryReadAsync(ids), s => s is not null, TimeSpan.FromSeconds(30), "progress readable");
        var target = Math.Min(atUp!.Terminal + ResumedTasks, ids.Count);
        TimeSpan? first = null;
        var snapshot = await Eventually.UntilAsync(
            async () =>
            {
                var now = await fleet.Progress.TryReadAsync(ids);
                if (first is null && now is not null && now.Terminal > atUp.Terminal)
                {
                    first = serving.Elapsed;
                }

                return now;
            },
            s => s is not null && s.Terminal >= target,
            TimeSpan.FromSeconds(120),
            $"{ResumedTasks} more tasks terminal after the server came back");
        var resumed = serving.Elapsed;
        fleet.Log($"recovery: first task terminal {first?.TotalSeconds:0.0} s and {ResumedTasks} more tasks terminal {resumed.TotalSeconds:0.0} s after the server accepted connections again ({atUp.Terminal} -> {snapshot!.Terminal})");
        return resumed;
    }
}
