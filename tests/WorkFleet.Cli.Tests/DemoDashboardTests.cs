using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace WorkFleet.Cli.Tests;

/// <summary><c>workfleet demo --dashboard</c>: the embedded fleet serves the dispatcher's dashboard while it runs and after.</summary>
[Trait("Category", "Process")]
public sealed partial class DemoDashboardTests
{
    private const int Tasks = 600;
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task DemoWithDashboard_ServesStatusWhileRunning_CountsEveryTaskAfter_StopsOnSigterm()
    {
        // Arrange: the demo as a process, its dashboard on a free port.
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "workfleet.dll"), "demo", "--tasks", Tasks.ToString(CultureInfo.InvariantCulture), "--json", "--dashboard", "--dashboard-urls", "http://127.0.0.1:0" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            // Act + Assert: the dashboard answers while the demo runs ...
            var (dashboard, key) = await DashboardAddressAsync(process.StandardError, deadline.Token);
            using var http = new HttpClient { BaseAddress = dashboard };
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
            // (each worker appears with its first heartbeat, which may still be on its way when the dashboard starts)
            var workers = await WorkersAsync(http, count: 3, deadline.Token);
            Assert.Equal(["worker-1", "worker-2", "worker-3"], workers.Select(w => w.GetProperty("id").GetString()));
            Assert.Equal([1.0, 2.0, 4.0], workers.Select(w => w.GetProperty("weight").GetDouble()));

            // ... and still after the report, with every task counted ...
            var report = await LineAsync(process.StandardOutput, l => l.StartsWith("{\"submitted\"", StringComparison.Ordinal), deadline.Token);
            using (var json = JsonDocument.Parse(report))
            {
                Assert.Equal(Tasks, json.RootElement.GetProperty("completed").GetInt32());
            }

            var metrics = PrometheusText.Parse(await http.GetStringAsync(new Uri("metrics", UriKind.Relative), deadline.Token));
            Assert.Equal(Tasks, metrics.Value("workfleet_tasks_finished_total", ("outcome", "succeeded"), ("error_kind", "")));

            // ... until it is told to stop.
            using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", process.Id.ToString(CultureInfo.InvariantCulture) } })!)
            {
                await kill.WaitForExitAsync(deadline.Token);
            }

            await process.WaitForExitAsync(deadline.Token);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>Polls <c>/api/status</c> until it lists <paramref name="count"/> workers.</summary>
    private static async Task<List<JsonElement>> WorkersAsync(HttpClient http, int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var status = JsonDocument.Parse(await http.GetStringAsync(new Uri("api/status", UriKind.Relative), cancellationToken));
            var workers = status.RootElement.GetProperty("workers").EnumerateArray().Select(w => w.Clone()).ToList();
            if (workers.Count >= count)
            {
                return workers;
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>The dashboard's address and the generated API key, from the line <c>dashboard: http://127.0.0.1:PORT/#key=KEY</c>.</summary>
    private static async Task<(Uri Address, string Key)> DashboardAddressAsync(StreamReader stderr, CancellationToken cancellationToken)
    {
        var line = await LineAsync(stderr, l => l.StartsWith("dashboard: ", StringComparison.Ordinal), cancellationToken);
        var key = KeyPattern().Match(line);
        Assert.True(key.Success, $"no #key= in: {line}");
        return (new Uri(AddressPattern().Match(line).Value), key.Groups[1].Value);
    }

    private static async Task<string> LineAsync(StreamReader reader, Func<string, bool> wanted, CancellationToken cancellationToken)
    {
        var seen = new List<string>();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (wanted(line))
            {
                return line;
            }

            seen.Add(line);
        }

        throw new InvalidOperationException($"The demo ended its output without the expected line; it wrote:{Environment.NewLine}{string.Join(Environment.NewLine, seen)}");
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+")]
    private static partial Regex AddressPattern();

    [GeneratedRegex(@"#key=([A-Za-z0-9_-]+)")]
    private static partial Regex KeyPattern();
}
