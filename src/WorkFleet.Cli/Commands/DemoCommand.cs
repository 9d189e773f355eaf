using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using WorkFleet.Cli.Demo;
using WorkFleet.Cli.Output;

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
        var command = new Command("demo", "Run an embedded fleet (in-memory transport + SQLite) on a mix of real jobs") { workers, weights, taskCount, json };
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
            var report = await DemoRunner.RunAsync(parsed, tasks, showProgress: !asJson, cancellationToken);
            if (asJson)
            {
                Json.WriteLine(report);
            }
            else
            {
                Print(report);
            }

            return report.Lost == 0 && report.Failed == 0 ? 0 : 1;
        });
        return command;
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
