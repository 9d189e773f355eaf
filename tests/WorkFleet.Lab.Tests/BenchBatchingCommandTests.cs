using System.Text.Json;

namespace WorkFleet.Lab.Tests;

/// <summary><c>workfleet-lab bench-batching</c> runs the real embedded stack both ways; its numbers are not asserted, its honesty is.</summary>
[Trait("Category", "Process")]
public sealed class BenchBatchingCommandTests
{
    [Fact]
    public async Task BenchBatching_SmallRun_CompletesEveryTaskBothWaysAndBatchesOnlyWhenOn()
    {
        var (exitCode, stdout, stderr) = await LabProcess.RunAsync(
            TimeSpan.FromMinutes(3), "bench-batching", "--tasks", "60", "--rounds", "1", "--warmup", "10", "--capacity", "8", "--max-batch", "8", "--max-delay-ms", "20", "--json");

        Assert.True(exitCode == 0, $"exit {exitCode}; stderr: {stderr}");
        using var report = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]);
        var runs = report.RootElement.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal([false, true], runs.Select(r => r.GetProperty("batching").GetBoolean()));
        Assert.All(runs, r => Assert.Equal(60, r.GetProperty("completed").GetInt32()));
        Assert.All(runs, r => Assert.Equal(0, r.GetProperty("failed").GetInt32()));
        Assert.Equal(1.0, runs[0].GetProperty("meanBatchSize").GetDouble());
        Assert.InRange(runs[1].GetProperty("meanBatchSize").GetDouble(), 1.0, 8.0);
        Assert.True(report.RootElement.GetProperty("speedup").GetDouble() > 0);
    }

    [Fact]
    public async Task BenchBatching_MaxBatchAboveCapacity_FailsNamingTheOption()
    {
        var (exitCode, _, stderr) = await LabProcess.RunAsync(TimeSpan.FromMinutes(1), "bench-batching", "--capacity", "4", "--max-batch", "8");

        Assert.Equal(2, exitCode);
        Assert.Contains("--max-batch must be within 2..4", stderr, StringComparison.Ordinal);
    }
}
