using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using WorkFleet.Lab.Bench;
using WorkFleet.CommandLine;

namespace WorkFleet.Lab.Commands;

/// <summary><c>workfleet-lab bench-batching</c>: tasks/s of <c>inference.mlp</c> on a whole fleet (embedded, or RabbitMQ + PostgreSQL with --real) with dynamic batching off and on, same run.</summary>
public static class BenchBatchingCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var tasks = new Option<int>("--tasks") { Description = "Measured tasks per run", DefaultValueFactory = _ => 2000 };
        var rows = new Option<int>("--rows") { Description = "Rows (8x8 glyphs) per task", DefaultValueFactory = _ => 1 };
        var workers = new Option<int>("--workers") { Description = "Workers in the fleet", DefaultValueFactory = _ => 1 };
        var capacity = new Option<int>("--capacity") { Description = "Capacity of each worker (default 32: room for a full batch of 16 to gather while one runs)", DefaultValueFactory = _ => 32 };
        var maxBatch = new Option<int>("--max-batch") { Description = "MaxBatchSize of the batching runs (1..capacity)", DefaultValueFactory = _ => 16 };
        var maxDelay = new Option<double>("--max-delay-ms") { Description = "MaxDelay of the batching runs, in ms", DefaultValueFactory = _ => 2 };
        var rounds = new Option<int>("--rounds") { Description = "Pairs of runs (off/on, alternating which goes first)", DefaultValueFactory = _ => 2 };
        var warmup = new Option<int>("--warmup") { Description = "Unmeasured tasks at the start of each run", DefaultValueFactory = _ => 200 };
        var hidden = new Option<int>("--hidden") { Description = "0: the shipped digits-mlp (64-128-64-10); H > 0: a generated 64-H-H-10 model (e.g. 1024, 4.5 MB of weights)", DefaultValueFactory = _ => 0 };
        var real = new Option<bool>("--real") { Description = "Run on RabbitMQ + PostgreSQL from configuration (appsettings.json, WorkFleet__… env) instead of the embedded in-memory transport + SQLite" };
        var json = new Option<bool>("--json") { Description = "Print the report as one JSON line (last line of stdout)" };
        var command = new Command("bench-batching", "Measure dynamic batching on a whole fleet (embedded, or --real for RabbitMQ + PostgreSQL): inference.mlp tasks/s with batching off and on")
        {
            tasks, rows, workers, capacity, maxBatch, maxDelay, rounds, warmup, hidden, real, json,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var settings = new BatchingBenchSettings(
                result.GetValue(tasks),
                result.GetValue(rows),
                result.GetValue(workers),
                result.GetValue(capacity),
                result.GetValue(maxBatch),
                TimeSpan.FromMilliseconds(result.GetValue(maxDelay)),
                result.GetValue(rounds),
                result.GetValue(warmup),
                result.GetValue(hidden),
                result.GetValue(real));
            if (Problem(settings) is { } problem)
            {
                await Console.Error.WriteLineAsync(problem);
                return 2;
            }

            var asJson = result.GetValue(json);
            var report = await BatchingBench.RunAsync(
                settings,
                asJson ? null : run => AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "  batching {0}: {1:F0} tasks/s", run.Batching ? "on " : "off", run.TasksPerSecond),
                cancellationToken);
            if (asJson)
            {
                Json.WriteLine(report);
            }
            else
            {
                Print(report);
            }

            return report.Runs.All(r => r.Failed == 0) ? 0 : 1;
        });
        return command;
    }

    private static string? Problem(BatchingBenchSettings s) =>
        s.Tasks < 1 ? "--tasks must be at least 1."
        : s.Rows is < 1 or > 4096 ? "--rows must be within 1..4096."
        : s.Workers < 1 ? "--workers must be at least 1."
        : s.Capacity is < 1 or > 1024 ? "--capacity must be within 1..1024."
        : s.MaxBatchSize < 2 || s.MaxBatchSize > s.Capacity ? $"--max-batch must be within 2..{s.Capacity} (the capacity)."
        : s.MaxDelay < TimeSpan.Zero || s.MaxDelay > TimeSpan.FromSeconds(1) ? "--max-delay-ms must be within 0..1000."
        : s.Rounds < 1 ? "--rounds must be at least 1."
        : s.WarmupTasks < 0 ? "--warmup must not be negative."
        : s.Hidden is < 0 or > 8192 ? "--hidden must be within 0..8192."
        : null;

    private static void Print(BatchingBenchReport report)
    {
        var s = report.Settings;
        var table = new Table()
            .Title($"inference.mlp ({(s.Hidden > 0 ? $"64-{s.Hidden}-{s.Hidden}-10" : "digits-mlp")}), {s.Rows} row(s)/task, {s.Workers} worker(s) x capacity {s.Capacity}; batching on = MaxBatchSize {s.MaxBatchSize}, MaxDelay {s.MaxDelay.TotalMilliseconds:F1} ms")
            .AddColumns("run", "batching", "completed", "failed", "elapsed (ms)", "tasks/s", "rows/s", "mean batch");
        for (var i = 0; i < report.Runs.Count; i++)
        {
            var r = report.Runs[i];
            table.AddRow(
                (i + 1).ToString(CultureInfo.InvariantCulture),
                r.Batching ? "on" : "off",
                r.Completed.ToString(CultureInfo.InvariantCulture),
                r.Failed.ToString(CultureInfo.InvariantCulture),
                r.ElapsedMs.ToString("F0", CultureInfo.InvariantCulture),
                r.TasksPerSecond.ToString("F0", CultureInfo.InvariantCulture),
                r.RowsPerSecond.ToString("F0", CultureInfo.InvariantCulture),
                r.MeanBatchSize.ToString("F2", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(CultureInfo.InvariantCulture, "median tasks/s: off [bold]{0:F0}[/], on [bold]{1:F0}[/], on/off [bold]{2:F2}x[/]",
            report.OffTasksPerSecond, report.OnTasksPerSecond, report.Speedup);
    }
}
