using System.Globalization;

namespace WorkFleet.ThroughputBench.Report;

/// <summary>Small statistics and formatting for the tables.</summary>
public static class Stats
{
    /// <summary>The median (mean of the middle two for an even count); null for no values.</summary>
    public static double? Median(IEnumerable<double?> values)
    {
        var sorted = values.OfType<double>().Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>A number with <paramref name="decimals"/> decimals, or "–".</summary>
    public static string Format(double? value, int decimals = 2) =>
        value is { } v ? v.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "–";

    /// <summary>The machine's load averages (1, 5, 15 min), as /proc/loadavg has them.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
