using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using WorkFleet.Cli.Demo;
using WorkFleet.CommandLine;

namespace WorkFleet.Cli.Commands;

/// <summary><c>workfleet demo</c>: the whole fleet in one process, no broker or database to install.</summary>
public static class DemoCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var workers = new Option<int>("--workers") { Description = "Number of workers", DefaultValueFactory = _ => 3 };
        var weights = new Option<string?>("--weights") { Description = "Comma-separated worker weights, e.g. 1,2,4 (default 1,2,4,... doubling)" };
        var taskCount = new Option<int>("--tasks") { Description = "Number of tasks to run", DefaultValueFactory = _ => 300 };
        var json = new Option<bool>("--json") { Description = "Print the report as one JSON line (last line of stdout)" };
        var dashboard = new Option<bool>("--dashboard") { Description = "Serve the dispatcher's dashboard while the demo runs, and keep serving after it until Ctrl+C" };
        var dashboardUrls = new Option<string>("--dashboard-urls") { Description = "Where the dashboard listens (with --dashboard); port 0 takes a free port", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var command = new Command("demo", "Run an embedded fleet (in-memory transport + SQLite) on a mix of real jobs") { workers, weights, taskCount, json, dashboard, dashboardUrls };
        command.SetAction(async (result, cancellationToken) =>
        {
            var count = result.GetValue(workers);
            IReadOnlyList<double> parsed;
            try
            {
                parsed = result.GetValue(weights) is { } text ? DemoWorkload.ParseWeights(text) : [.. Enumerable.Range(0, count).Select(i => Math.Pow(2, i))];
            }
            catch (FormatException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return 2;
            }

            if (count < 1 || parsed.Count != count)
            {
                await Console.Error.WriteLineAsync($"--workers {count} and --weights ({parsed.Count} values) must agree and be at least 1.");
                return 2;
            }

            var tasks = result.GetValue(taskCount);
            if (tasks < 1)
            {
                await Console.Error.WriteLineAsync("--tasks must be at least 1.");
                return 2;
            }

            var asJson = result.GetValue(json);
            string? urls = null;
            if (result.GetValue(dashboard))
            {
                try
                {
                    urls = string.Join(';', DashboardHostBuilderExtensions.ParseUrls(result.GetValue(dashboardUrls)));
                }
                catch (InvalidOperationException ex)
                {
                    await Console.Error.WriteLineAsync(ex.Message.Replace("WorkFleet:Dashboard:Urls", "--dashboard-urls", StringComparison.Ordinal));
                    return 2;
                }
            }

            var report = await DemoRunner.RunAsync(
                parsed,
                tasks,
                showProgress: !asJson,
                urls,
                addresses => Console.Error.WriteLine($"dashboard: {string.Join(", ", addresses)}"),
                async (finished, serving) =>
                {
                    if (asJson)
                    {
                        Json.WriteLine(finished);
                    }
                    else
                    {
                        Print(finished);
                    }

                    if (urls is not null)
                    {
                        await Console.Error.WriteLineAsync("demo finished; the dashboard keeps serving until Ctrl+C");
                        await WaitForCancellationAsync(serving);
                    }
                },
                cancellationToken);
            return report.Lost == 0 && report.Failed == 0 ? 0 : 1;
        });
        return command;
    }

    private static async Task WaitForCancellationAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: stop serving.
        }
    }

    private static void Print(DemoReport report)
    {
        var table = new Table().Title("WorkFleet demo: weighted least-load").AddColumns("worker", "weight", "capacity", "completed", "share", "mean latency (ms)", "max concurrent");
        foreach (var w in report.Workers)
        {
            table.AddRow(
                w.Id,
                w.Weight.ToString(CultureInfo.InvariantCulture),
                w.Capacity.ToString(CultureInfo.InvariantCulture),
                w.Completed.ToString(CultureInfo.InvariantCulture),
                $"{100.0 * w.Completed / Math.Max(1, report.Completed):F1}%",
                w.MeanLatencyMs.ToString("F1", CultureInfo.InvariantCulture),
                w.MaxConcurrent.ToString(CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "submitted [bold]{0}[/], completed [green]{1}[/], failed [red]{2}[/], lost [red]{3}[/] in {4:F0} ms ({5:F0} tasks/s)",
            report.Submitted, report.Completed, report.Failed, report.Lost, report.ElapsedMs, report.TasksPerSecond);
    }
}
