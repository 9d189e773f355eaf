using System.Globalization;
using System.Text.Json;
using WorkFleet.Testing.Infrastructure;

namespace WorkFleet.ThroughputBench.Tests;

/// <summary>
/// Runs the bench as a user does, on the fixture's servers: every task of the four pipelines is counted, the raw
/// pipeline with a result store and WorkFleet store every outcome, and the table has the four rows. Timings are the bench's output, never asserted.
/// </summary>
[Collection(nameof(ServersCollection))]
[Trait("Category", "Integration")]
public sealed class PipelineModeTests(InfrastructureFixture servers)
{
    private const int Tasks = 50;

    [Fact]
    public async Task Pipeline_OneSmallRound_EveryTaskCountedAndStoredAndEveryRowPrinted()
    {
        var (stdout, json) = await BenchRun.RunAsync(
            servers, "throughput-bench", TimeSpan.FromMinutes(10),
            "pipeline", "--tasks", Tasks.ToString(CultureInfo.InvariantCulture), "--rounds", "1", "--warmup", "10");
        using var report = json;

        Assert.Contains("| raw MassTransit |", stdout, StringComparison.Ordinal);
        Assert.Contains("| raw MassTransit + result row |", stdout, StringComparison.Ordinal);
        Assert.Contains("| WorkFleet |", stdout, StringComparison.Ordinal);
        Assert.Contains("| WorkFleet + prefetch |", stdout, StringComparison.Ordinal);
        var rounds = report.RootElement.GetProperty("rounds").EnumerateArray().ToList();
        Assert.Equal(["raw MassTransit", "raw MassTransit + result row", "WorkFleet", "WorkFleet + prefetch"], rounds.Select(r => r.GetProperty("pipeline").GetString()));
        Assert.All(rounds, r => Assert.Equal(Tasks, r.GetProperty("tasks").GetInt32()));
        Assert.Equal(JsonValueKind.Null, rounds[0].GetProperty("storedSuccesses").ValueKind);
        Assert.Equal(Tasks, rounds[1].GetProperty("storedSuccesses").GetInt64());
        Assert.Equal(Tasks, rounds[2].GetProperty("storedSuccesses").GetInt64());
        Assert.Equal(Tasks, rounds[3].GetProperty("storedSuccesses").GetInt64());
        Assert.All(rounds, r => Assert.True(r.GetProperty("cpuMilliseconds").GetProperty("dispatcher").GetDouble() > 0));
    }
}
