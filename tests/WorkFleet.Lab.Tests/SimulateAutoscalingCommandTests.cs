using System.Text.Json;

namespace WorkFleet.Lab.Tests;

/// <summary><c>workfleet-lab simulate-autoscaling</c> as a user runs it; the model's numbers are tested in WorkFleet.Simulation.Tests.</summary>
[Trait("Category", "Process")]
public sealed class SimulateAutoscalingCommandTests
{
    [Fact]
    public async Task SimulateAutoscaling_Json_OneLineWithEveryPolicy()
    {
        var (exitCode, stdout, stderr) = await LabProcess.RunAsync(
            TimeSpan.FromMinutes(1), "simulate-autoscaling", "--trace", "step", "--duration", "300", "--json");

        Assert.True(exitCode == 0, $"exit {exitCode}; stderr: {stderr}");
        using var json = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]);
        var names = json.RootElement.GetProperty("policies").EnumerateArray().Select(p => p.GetProperty("name").GetString() ?? string.Empty).ToArray();
        Assert.Equal(new[] { "static-peak", "static-mean", "reactive", "predictive-linear", "predictive-holt", "threshold" }, names);
    }

    [Fact]
    public async Task SimulateAutoscaling_UnknownTrace_ExitsTwoNamingTheOption()
    {
        var (exitCode, _, stderr) = await LabProcess.RunAsync(TimeSpan.FromMinutes(1), "simulate-autoscaling", "--trace", "square");

        Assert.Equal(2, exitCode);
        Assert.Contains("--trace 'square' is unknown; valid: ramp, sine, step, spike, sine-spikes.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SimulateAutoscaling_Seeds_SummaryCountsEverySeed()
    {
        var (exitCode, stdout, stderr) = await LabProcess.RunAsync(
            TimeSpan.FromMinutes(1), "simulate-autoscaling", "--trace", "step", "--duration", "120", "--policies", "static-peak,reactive", "--seeds", "3", "--json");

        Assert.True(exitCode == 0, $"exit {exitCode}; stderr: {stderr}");
        using var json = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]);
        var seeds = json.RootElement.GetProperty("seeds");
        Assert.Equal(3, seeds.GetProperty("seeds").GetInt32());
        var staticPeak = seeds.GetProperty("policies").EnumerateArray().First(p => p.GetProperty("name").GetString() == "static-peak");
        Assert.Equal(1.0, staticPeak.GetProperty("vs_static_peak_mean").GetDouble());
        Assert.Equal(3, staticPeak.GetProperty("seeds_within_99").GetInt32());
    }

    [Fact]
    public async Task SimulateAutoscaling_UnknownSignal_ExitsTwoNamingTheOption()
    {
        var (exitCode, _, stderr) = await LabProcess.RunAsync(TimeSpan.FromMinutes(1), "simulate-autoscaling", "--signal", "cpu");

        Assert.Equal(2, exitCode);
        Assert.Contains("--signal 'cpu' is unknown; valid: demand, utilization.", stderr, StringComparison.Ordinal);
    }
}
