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
        var (_, json) = await BenchRun.RunAsync(
            servers, "throughput-heartbeats", TimeSpan.FromMinutes(5),
            "heartbeats", "--workers", Workers.ToString(CultureInfo.InvariantCulture), "--seconds", "2");
        using var report = json;

        Assert.Equal(Workers, report.RootElement.GetProperty("workersStored").GetInt64());
        Assert.True(report.RootElement.GetProperty("heartbeatsPerSecond").GetDouble() > 0, report.RootElement.GetRawText());
    }
}
