using System.Diagnostics;
using System.Text.RegularExpressions;

namespace WorkFleet.IntegrationTests;

/// <summary>
/// <c>workfleet submit --wait</c> on the real stack: a progress bar when a person watches a terminal (run here in a
/// pseudo-terminal by <c>script</c>), plain lines when the output is redirected.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed partial class SubmitProgressTests(InfrastructureFixture infrastructure)
{
    private const int Tasks = 5;
    private static readonly TimeSpan CliTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task SubmitWait_TerminalOrRedirected_ProgressBarOnlyOnTheTerminal()
    {
        // Arrange: a dispatcher and a worker; the CLI reads the same transport settings from its environment.
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("progress"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("progress"));
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Capacity) = ("progress-w1", 2)));
        var environment = FleetHosts.StackSettings(rabbit, database: null)
            .Where(s => s.Value is not null)
            .ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
        environment["TERM"] = "xterm-256color";
        string[] submit = ["submit", "--job", "compute.matmul", "--payload", """{"size":16,"seed":1,"repeat":1}""", "--count", $"{Tasks}", "--wait"];

        // Act
        var (terminalExit, terminal) = await RunInTerminalAsync(environment, submit);
        var (redirectedExit, redirected, stderr) = await AppProcess.RunAsync("workfleet.dll", CliTimeout, environment, submit);

        // Assert: both runs saw every outcome; only the terminal run drew the bar, to 100 %.
        Assert.True(terminalExit == 0, $"exit {terminalExit}; output: {terminal}");
        Assert.Equal(Tasks, OutcomeLine().Count(terminal));
        Assert.Contains("outcomes", terminal, StringComparison.Ordinal);
        Assert.Contains("100%", terminal, StringComparison.Ordinal);

        Assert.True(redirectedExit == 0, $"exit {redirectedExit}; stderr: {stderr}");
        Assert.Equal(Tasks, OutcomeLine().Count(redirected));
        Assert.DoesNotContain("100%", redirected, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', redirected);
    }

    /// <summary>Runs the CLI in a pseudo-terminal of 100 x 30 (util-linux <c>script</c>); returns its exit code and what the terminal showed.</summary>
    private static async Task<(int ExitCode, string Output)> RunInTerminalAsync(IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> arguments)
    {
        var command = "stty cols 100 rows 30; exec dotnet " + Quote(Path.Combine(AppContext.BaseDirectory, "workfleet.dll")) + " " + string.Join(' ', arguments.Select(Quote));
        var start = new ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in new[] { "--quiet", "--return", "--command", command, "/dev/null" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(CliTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"submit in a terminal did not finish within {CliTimeout}; output: {await stdout} {await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string Quote(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12} Succeeded")]
    private static partial Regex OutcomeLine();
}
