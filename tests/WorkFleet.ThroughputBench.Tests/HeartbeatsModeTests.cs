using System.Globalization;
using System.Text.Json;
using WorkFleet.Testing.Infrastructure;

namespace WorkFleet.ThroughputBench.Tests;

/// <summary>
/// Runs the bench's <c>heartbeats</c> mode on the fixture's servers: the dispatcher stores every simulated worker,
/// i.e. it accepted their heartbeats (a refused heartbeat costs it less, and the mode would measure nothing). Timings
/// are the bench's output, never asserted.
/// </summary>
[Collection(nameof(ServersCollection))]
[Trait("Category", "Integration")]
public sealed class HeartbeatsModeTests(InfrastructureFixture servers)
{
    private const int Workers = 20;

    [Fact]
    public async Task Heartbeats_SmallFleet_EveryWorkerStored()
    {
        var broker = await servers.CreateVirtualHostAsync("throughput-heartbeats");
        var postgres = await servers.CreateDatabaseAsync("throughput_heartbeats");
        var rabbitmq = string.Create(CultureInfo.InvariantCulture, $"{broker.Host}:{broker.Port}:{broker.Username}:{broker.Password}");

        var (exitCode, stdout, stderr) = await AppProcess.RunAsync(
            "WorkFleet.ThroughputBench.dll",
            TimeSpan.FromMinutes(5),
            new Dictionary<string, string>(),
            ["heartbeats", "--workers", Workers.ToString(CultureInfo.InvariantCulture), "--seconds", "2", "--json",
                "--rabbitmq", rabbitmq, "--vhost", broker.VirtualHost, "--postgres", postgres]);

        Assert.True(exitCode == 0, $"exit {exitCode}: {stderr}");
        var json = stdout.Split('\n').LastOrDefault(line => line.StartsWith('{'));
        Assert.True(json is not null, $"no JSON line in: {stdout}");
        using var report = JsonDocument.Parse(json);
        Assert.Equal(Workers, report.RootElement.GetProperty("workersStored").GetInt64());
        Assert.True(report.RootElement.GetProperty("heartbeatsPerSecond").GetDouble() > 0, json);
    }
}
