using System.Globalization;
using Spectre.Console;
using WorkFleet.Lab.Bench;

namespace WorkFleet.Lab.Output;

/// <summary>
/// The latency table of <c>simulate</c> and <c>bench-strategies</c>: per strategy its latency percentiles and
/// mean, its makespan against the workload's lower bound, and the fleet's utilization.
/// </summary>
internal static class LatencyTable
{
    /// <summary>Builds the table, one row per entry of <paramref name="rows"/> in order.</summary>
    /// <param name="rows">Strategy name and its latencies.</param>
    /// <param name="lowerBoundMs">The workload's makespan lower bound, the same for every row.</param>
    /// <param name="sharedQueueP99Ms">When given, a last column with each row's p99 over this one.</param>
    /// <param name="withMax">Adds a column with each row's largest latency after the p99.</param>
    public static Table Create(IEnumerable<(string Name, LatencySummary Latency)> rows, double lowerBoundMs, double? sharedQueueP99Ms = null, bool withMax = false)
    {
        string[] columns = withMax
            ? ["strategy", "p50 ms", "p95 ms", "p99 ms", "max ms", "mean ms", "makespan ms", "bound ms", "span/bound", "util"]
            : ["strategy", "p50 ms", "p95 ms", "p99 ms", "mean ms", "makespan ms", "bound ms", "span/bound", "util"];
        var table = new Table().AddColumns(columns);
        if (sharedQueueP99Ms is not null)
        {
            table.AddColumn("p99/shared");
        }

        foreach (var column in table.Columns.Skip(1))
        {
            column.RightAligned();
        }

        foreach (var (name, x) in rows)
        {
            string[] cells =
            [
                name,
                Ms(x.P50Ms),
                Ms(x.P95Ms),
                Ms(x.P99Ms),
                .. withMax ? [Ms(x.MaxMs)] : Array.Empty<string>(),
                Ms(x.MeanMs),
                x.MakespanMs.ToString("N0", CultureInfo.InvariantCulture),
                lowerBoundMs.ToString("N0", CultureInfo.InvariantCulture),
                (x.MakespanMs / lowerBoundMs).ToString("F3", CultureInfo.InvariantCulture),
                x.Utilization.ToString("P1", CultureInfo.InvariantCulture),
            ];
            table.AddRow(sharedQueueP99Ms is { } shared ? [.. cells, (x.P99Ms / shared).ToString("F2", CultureInfo.InvariantCulture) + "x"] : cells);
        }

        return table;
    }

    private static string Ms(double value) => value.ToString("N1", CultureInfo.InvariantCulture);
}
