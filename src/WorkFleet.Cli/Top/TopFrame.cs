using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using WorkFleet.Dashboard.Status;

namespace WorkFleet.Cli.Top;

/// <summary>
/// One frame of <c>workfleet top</c>: a dispatcher's <c>/api/status</c> snapshot and its recent completion rates as a
/// Spectre.Console renderable. Pure: no I/O, no clock; the same snapshot always renders the same frame.
/// </summary>
public static class TopFrame
{
    /// <summary>Width in cells of a worker's load bar.</summary>
    public const int BarWidth = 16;

    private const string SparkLevels = "▁▂▃▄▅▆▇█";

    /// <summary>
    /// The frame for <paramref name="status"/>; <paramref name="completionRates"/> (oldest first, tasks finished per
    /// second, one per refresh) draws the throughput line; <paramref name="error"/>, when given, says why the snapshot is stale.
    /// </summary>
    public static IRenderable Render(DispatcherStatus status, IReadOnlyList<double> completionRates, string? error = null)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(completionRates);
        var rows = new List<IRenderable>
        {
            new Markup(Invariant($"[bold]dispatcher {Markup.Escape(status.DispatcherId)}[/]  {Markup.Escape(status.Strategy)}  {(status.Ready ? "[green]consuming[/]" : "[yellow]starting[/]")}  {status.Now.UtcDateTime:HH:mm:ss} UTC")),
            Summary(status),
            new Text(Invariant($"throughput now {status.Fleet.CompletionRate:0.0}/s, peak {(completionRates.Count == 0 ? 0 : completionRates.Max()):0.0}/s (10 s average; one mark per refresh)")),
            new Text(Sparkline(completionRates)),
            Workers(status.Workers),
        };
        if (error is not null)
        {
            rows.Add(new Markup("[red]" + Markup.Escape(error) + "[/] (showing the last snapshot)"));
        }

        return new Rows(rows);
    }

    /// <summary>A worker's load against its capacity as a bar of <see cref="BarWidth"/> cells, e.g. <c>██████████··········</c>.</summary>
    public static string LoadBar(int load, int capacity)
    {
        var filled = capacity <= 0 ? 0 : (int)Math.Round(BarWidth * Math.Clamp((double)load / capacity, 0, 1), MidpointRounding.AwayFromZero);
        return new string('█', filled) + new string('·', BarWidth - filled);
    }

    /// <summary>One block character per rate, scaled to the largest rate (at least 1/s, so an idle fleet draws a flat line).</summary>
    public static string Sparkline(IReadOnlyList<double> rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        if (rates.Count == 0)
        {
            return "(no samples yet)";
        }

        var top = Math.Max(1, rates.Max());
        return string.Concat(rates.Select(r => SparkLevels[(int)Math.Round((SparkLevels.Length - 1) * Math.Clamp(r / top, 0, 1), MidpointRounding.AwayFromZero)]));
    }

    // Short lines, so an 80-column terminal (or a redirected output) does not break a figure from its name.
    private static Rows Summary(DispatcherStatus status)
    {
        var live = status.Workers.Count(w => w.Health == "live");
        var held = status.Workers.Sum(w => w.Load);
        var utilization = status.Fleet.Utilization is { } u ? Invariant($"{u * 100:0} %") : "-";
        var lines = new List<Text>
        {
            new(Invariant($"workers live {live}/{status.Workers.Count}  held {held}/{status.Fleet.Capacity}  waiting {status.WaitingTasks}  utilization {utilization}")),
            new(Invariant($"arrivals {status.Fleet.ArrivalRate:0.0}/s  completions {status.Fleet.CompletionRate:0.0}/s  succeeded {status.Totals.Succeeded}  failed {status.Totals.Failed}")),
        };
        if (status.Tasks is not null)
        {
            lines.Add(new Text("stored tasks: " + string.Join(", ", status.Tasks.Select(t => Invariant($"{t.Key} {t.Value}")))));
        }

        return new Rows(lines);
    }

    private static Table Workers(IReadOnlyList<WorkerStatus> workers)
    {
        // No wrapping: a frame taller than the terminal loses its rows, so a long id is cut short instead.
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in new[] { "worker", "health", "weight", "load", "held", "task ms", "heard" })
        {
            table.AddColumn(new TableColumn(column).NoWrap());
        }

        foreach (var w in workers)
        {
            var color = w.Load >= w.Capacity ? "yellow" : "blue";
            table.AddRow(
                new Text(w.Id) { Overflow = Overflow.Ellipsis },
                new Markup(w.Health switch { "live" => "[green]live[/]", "draining" => "[blue]draining[/]", _ => "[yellow]" + Markup.Escape(w.Health) + "[/]" }),
                new Text(w.Weight.ToString("0.##", CultureInfo.InvariantCulture)),
                new Markup($"[{color}]{LoadBar(w.Load, w.Capacity)}[/]"),
                new Text(Invariant($"{w.Load}/{w.Capacity}")),
                new Text(w.EwmaTaskDurationMs.ToString("0.0", CultureInfo.InvariantCulture)),
                new Text(Invariant($"{w.LastHeartbeatAgeMs / 1000:0.0} s ago")));
        }

        if (workers.Count == 0)
        {
            table.AddRow(new Markup("[grey]no workers yet[/]"));
        }

        return table;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
