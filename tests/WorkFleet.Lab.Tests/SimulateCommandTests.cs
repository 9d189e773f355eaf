namespace WorkFleet.Lab.Tests;

/// <summary><c>workfleet-lab simulate</c> as a user runs it; the simulator's own numbers are tested in WorkFleet.Simulation.Tests.</summary>
[Trait("Category", "Process")]
public sealed class SimulateCommandTests
{
    [Fact]
    public async Task Simulate_OneStrategy_PrintsItAndTheSharedQueueReferenceWithTheirP99Ratio()
    {
        var (exitCode, stdout, stderr) = await LabProcess.RunAsync(TimeSpan.FromMinutes(1), "simulate", "--tasks", "2000", "--strategies", "round-robin");

        Assert.True(exitCode == 0, $"exit {exitCode}; stderr: {stderr}");
        var lines = stdout.Split('\n');
        Assert.Contains(lines, l => l.Contains("p99/shared", StringComparison.Ordinal) && l.Contains("span/bound", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("│ round-robin ", StringComparison.Ordinal));
        Assert.EndsWith("1.00x │", Assert.Single(lines, l => l.Contains("│ shared-queue ", StringComparison.Ordinal)).TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_LoadAboveTwo_ExitsTwoNamingTheOption()
    {
        var (exitCode, _, stderr) = await LabProcess.RunAsync(TimeSpan.FromMinutes(1), "simulate", "--load", "3");

        Assert.Equal(2, exitCode);
        Assert.Contains("--load: '3' is not a number in (0, 2]", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_CostAwareWithHints_PrintsItBesideTheSharedQueueWithMaxLatency()
    {
        var (exitCode, stdout, stderr) = await LabProcess.RunAsync(
            TimeSpan.FromMinutes(1), "simulate", "--tasks", "2000", "--hint-cv", "0.3", "--job-types", "1,4,16", "--strategies", "shared-queue-sjf,cost-aware");

        Assert.True(exitCode == 0, $"exit {exitCode}; stderr: {stderr}");
        var lines = stdout.Split('\n');
        Assert.Contains(lines, l => l.Contains("max ms", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("│ cost-aware ", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("│ shared-queue-sjf ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Simulate_UnknownOrder_ExitsTwoNamingTheOption()
    {
        var (exitCode, _, stderr) = await LabProcess.RunAsync(TimeSpan.FromMinutes(1), "simulate", "--order", "lifo");

        Assert.Equal(2, exitCode);
        Assert.Contains("--order 'lifo' is unknown; valid: sjf, fifo.", stderr, StringComparison.Ordinal);
    }
}
