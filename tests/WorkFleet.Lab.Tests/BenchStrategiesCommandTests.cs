namespace WorkFleet.Lab.Tests;

/// <summary>
/// <c>workfleet-lab bench-strategies</c> needs a real broker and database, so its runs are tested in
/// WorkFleet.IntegrationTests (StrategyBenchTests); here only how it refuses to start.
/// </summary>
[Trait("Category", "Process")]
public sealed class BenchStrategiesCommandTests
{
    [Fact]
    public async Task BenchStrategies_UnknownStrategy_ExitsTwoNamingTheOption()
    {
        var (exitCode, _, stderr) = await LabProcess.RunAsync(TimeSpan.FromMinutes(1), "bench-strategies", "--strategies", "fastest-free-slot,shared-queue");

        Assert.Equal(2, exitCode);
        Assert.Contains("--strategies: 'shared-queue' is unknown", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchStrategies_NegativeHintCv_ExitsTwoNamingTheOption()
    {
        var (exitCode, _, stderr) = await LabProcess.RunAsync(TimeSpan.FromMinutes(1), "bench-strategies", "--strategies", "cost-aware", "--hint-cv", "-1");

        Assert.Equal(2, exitCode);
        Assert.Contains("--hint-cv must be in [0, 10]", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchStrategies_LoadAboveOne_ExitsTwoNamingTheOption()
    {
        var (exitCode, _, stderr) = await LabProcess.RunAsync(TimeSpan.FromMinutes(1), "bench-strategies", "--load", "1.5");

        Assert.Equal(2, exitCode);
        Assert.Contains("--load must be in (0, 1]", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchStrategies_BrokerUnreachable_ExitsThreeNamingTheSetting()
    {
        // Nothing listens on port 1 of the loopback: the connection is refused at once.
        var environment = new Dictionary<string, string>
        {
            ["WorkFleet__Transport__Kind"] = "RabbitMq",
            ["WorkFleet__Transport__RabbitMq__Host"] = "127.0.0.1",
            ["WorkFleet__Transport__RabbitMq__Port"] = "1",
        };

        var (exitCode, _, stderr) = await LabProcess.RunAsync(TimeSpan.FromMinutes(1), environment, "bench-strategies");

        Assert.Equal(3, exitCode);
        Assert.Contains("RabbitMQ is not reachable at 127.0.0.1:1", stderr, StringComparison.Ordinal);
        Assert.Contains("WorkFleet:Transport:RabbitMq:Host", stderr, StringComparison.Ordinal);
    }
}
