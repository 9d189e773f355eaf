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
    private static readonly string[] WorkerIds = ["w1", "w2", "w3"];

    [Fact]
    public async Task RabbitMqRestarted_MidRun_WorkResumes()
    {
        var broker = infrastructure.RabbitMq
            ?? throw new InvalidOperationException("This test restarts the broker container; it cannot run against an external RabbitMQ (WORKFLEET_TEST_RABBITMQ).");
        await RestartMidRunAsync("rabbitrestart", "RabbitMQ", broker, async fleet =>
        {
            await using var connection = await fleet.Rabbit.CreateConnectionFactory().CreateConnectionAsync();
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
        fleet.Log($"{server} serves again {restart.Elapsed.TotalSeconds:0.0} s after the restart began");
        var finished = await fleet.WaitForAllTerminalAsync(ids, deadline: TimeSpan.FromSeconds(150), stall: TimeSpan.FromSeconds(60));

        // Assert: the work resumed and every task Succeeded exactly once; no host gave up.
        var audit = await fleet.AuditAsync(ids);
        audit.AssertExactlyOnce(context: fleet.DescribeProcesses(40) + Environment.NewLine + $"--- {server} container log ---" + Environment.NewLine + await container.GetLogsAsync(30));
        Assert.True(finished, "not every task ended");
        // No host crashed or gave up. A dispatcher or worker whose receive endpoints did not come back may stop with
        // the watchdog's exit code, to be restarted by its supervisor (the fleet plays that part); that is reported.
        var restarted = fleet.Restarted;
        var exited = fleet.Processes.Where(p => p.HasExited && !restarted.Contains(p)).ToList();
        Assert.True(exited.Count == 0, $"host(s) exited during the {server} restart: {string.Join(", ", exited.Select(p => $"{p.Name} ({p.ExitCode})"))}{Environment.NewLine}{fleet.DescribeProcesses(60)}");
        fleet.Log($"hosts restarted by the supervisor: {restarted.Count}");
        fleet.Log($"tasks needing more than one attempt: {audit.Tasks.Values.Count(t => t.Attempt > 1)}");
    }
}
