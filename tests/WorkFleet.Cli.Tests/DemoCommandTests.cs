using System.Text.Json;

namespace WorkFleet.Cli.Tests;

[Trait("Category", "Process")]
public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_ThreeWorkersWeighted124_Completes300WithSharesGrowingWithWeight()
    {
        // Act: exactly the command the README and the issue name.
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(TimeSpan.FromMinutes(5), "demo", "--workers", "3", "--weights", "1,2,4", "--tasks", "300", "--json");

        // Assert: the last line is the report.
        Assert.True(exitCode == 0, $"exit {exitCode}; stderr: {stderr}");
        var lastLine = stdout.TrimEnd().Split('\n')[^1];
        using var report = JsonDocument.Parse(lastLine);
        var root = report.RootElement;
        Assert.Equal(300, root.GetProperty("submitted").GetInt32());
        Assert.Equal(300, root.GetProperty("completed").GetInt32());
        Assert.Equal(0, root.GetProperty("failed").GetInt32());
        Assert.Equal(0, root.GetProperty("lost").GetInt32());

        var workers = root.GetProperty("workers").EnumerateArray().ToList();
        Assert.Equal([1.0, 2.0, 4.0], workers.Select(w => w.GetProperty("weight").GetDouble()));
        Assert.Equal([2, 4, 8], workers.Select(w => w.GetProperty("capacity").GetInt32()));
        var completed = workers.Select(w => w.GetProperty("completed").GetInt32()).ToList();
        Assert.Equal(300, completed.Sum());
        Assert.True(completed[0] < completed[1] && completed[1] < completed[2], $"completions by weight 1,2,4: {string.Join(", ", completed)}");
        Assert.All(workers, w => Assert.InRange(w.GetProperty("maxConcurrent").GetInt32(), 1, w.GetProperty("capacity").GetInt32()));
        Assert.All(workers, w => Assert.True(w.GetProperty("meanLatencyMs").GetDouble() > 0));
    }

    [Theory]
    [InlineData("2", "1,2,4", "must agree")]
    [InlineData("2", "1,fast", "'fast' is not a positive number")]
    [InlineData("1", "-1", "'-1' is not a positive number")]
    public async Task Demo_BadWeights_FailsWithErrorNamingTheProblem(string workers, string weights, string expected)
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(TimeSpan.FromMinutes(1), "demo", "--workers", workers, "--weights", weights);

        Assert.Equal(2, exitCode);
        Assert.Contains("--weights", stderr, StringComparison.Ordinal);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
    }
}
