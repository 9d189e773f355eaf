using System.Globalization;

namespace WorkFleet.Simulation.Plotting;

/// <summary>
/// Draws latency percentiles per strategy as a hand-written SVG dot chart: one row per strategy, best p99
/// first, a bar from p50 to p99 with a marker per percentile on a logarithmic time axis, and a dashed line at
/// the shared queue's p99 so the distance from the ideal reads at a glance.
/// </summary>
public static class LatencyPlot
{
    private const double Width = 960;
    private const double Left = 250;
    private const double Right = 110;
    private const double Top = 136;
    private const int SubtitleLineLength = 125;
    private const double RowHeight = 36;
    private const double Bottom = 64;

    private static readonly (string Label, string Color, Func<StrategyResult, double> Value)[] Series =
    [
        ("p50", "#0072B2", r => r.P50Ms),
        ("p95", "#E69F00", r => r.P95Ms),
        ("p99", "#D55E00", r => r.P99Ms),
    ];

    /// <summary>Writes the chart for <paramref name="results"/> as a complete SVG document.</summary>
    /// <param name="writer">Where the SVG goes; not closed.</param>
    /// <param name="results">One entry per strategy, at least one, latencies &gt; 0.</param>
    /// <param name="title">The chart title.</param>
    /// <param name="subtitle">A second line, e.g. the scenario; may be empty.</param>
    public static void Write(TextWriter writer, IReadOnlyList<StrategyResult> results, string title, string subtitle)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0)
        {
            throw new ArgumentException("Nothing to plot.", nameof(results));
        }

        var rows = results.OrderBy(r => r.P99Ms).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        var axis = LogAxis.Covering(rows.Min(r => r.P50Ms), rows.Max(r => r.P99Ms), Left, Width - Right);
        var plotBottom = Top + (rows.Count * RowHeight);
        var height = plotBottom + Bottom;

        SvgDocument.Open(writer, F(Width), F(height), title);
        var y = 52.0;
        foreach (var line in Wrap(subtitle ?? string.Empty, SubtitleLineLength))
        {
            writer.WriteLine($"<text x=\"20\" y=\"{F(y)}\" fill=\"#555\">{Escape(line)}</text>");
            y += 17;
        }

        WriteLegend(writer);
        WriteGrid(writer, axis, plotBottom);

        for (var i = 0; i < rows.Count; i++)
        {
            WriteRow(writer, axis, rows[i], Top + (i * RowHeight));
        }

        if (rows.FirstOrDefault(r => r.Name == FleetSimulator.SharedQueue) is { } reference)
        {
            var x = axis.X(reference.P99Ms);
            writer.WriteLine($"<line x1=\"{F(x)}\" y1=\"{F(Top - 6)}\" x2=\"{F(x)}\" y2=\"{F(plotBottom)}\" stroke=\"#D55E00\" stroke-width=\"1\" stroke-dasharray=\"5 4\" opacity=\"0.7\"/>");
            writer.WriteLine($"<text x=\"{F(x)}\" y=\"{F(Top - 10)}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#D55E00\">shared-queue p99</text>");
        }

        writer.WriteLine($"<text x=\"{F((Left + Width - Right) / 2)}\" y=\"{F(plotBottom + 48)}\" text-anchor=\"middle\" fill=\"#333\">latency, arrival to completion (log scale)</text>");
        writer.WriteLine("</svg>");
    }

    private static void WriteLegend(TextWriter svg)
    {
        const double y = Top - 36;
        var x = Left;
        svg.WriteLine($"<line x1=\"{F(x)}\" y1=\"{F(y)}\" x2=\"{F(x + 26)}\" y2=\"{F(y)}\" stroke=\"#bbb\" stroke-width=\"6\" stroke-linecap=\"round\"/>");
        svg.WriteLine($"<text x=\"{F(x + 34)}\" y=\"{F(y + 4)}\" fill=\"#333\">p50 to p99</text>");
        x += 120;
        foreach (var (label, color, _) in Series)
        {
            svg.WriteLine($"<circle cx=\"{F(x)}\" cy=\"{F(y)}\" r=\"6\" fill=\"{color}\"/>");
            svg.WriteLine($"<text x=\"{F(x + 10)}\" y=\"{F(y + 4)}\" fill=\"#333\">{label}</text>");
            x += 56;
        }
    }

    private static void WriteGrid(TextWriter svg, LogAxis axis, double plotBottom)
    {
        foreach (var tick in axis.Ticks())
        {
            var x = axis.X(tick);
            var major = IsPowerOfTen(tick);
            svg.WriteLine($"<line x1=\"{F(x)}\" y1=\"{F(Top)}\" x2=\"{F(x)}\" y2=\"{F(plotBottom)}\" stroke=\"{(major ? "#cccccc" : "#ececec")}\" stroke-width=\"1\"/>");
            svg.WriteLine($"<text x=\"{F(x)}\" y=\"{F(plotBottom + 20)}\" text-anchor=\"middle\" fill=\"{(major ? "#333" : "#777")}\" font-size=\"{(major ? 12 : 11)}\">{Duration(tick)}</text>");
        }

        svg.WriteLine($"<line x1=\"{F(Left)}\" y1=\"{F(plotBottom)}\" x2=\"{F(Width - Right)}\" y2=\"{F(plotBottom)}\" stroke=\"#888\" stroke-width=\"1\"/>");
    }

    private static void WriteRow(TextWriter svg, LogAxis axis, StrategyResult row, double y)
    {
        var middle = y + (RowHeight / 2);
        var isReference = row.Name == FleetSimulator.SharedQueue;
        svg.WriteLine($"<rect x=\"10\" y=\"{F(y + 2)}\" width=\"{F(Width - 20)}\" height=\"{F(RowHeight - 4)}\" rx=\"3\" fill=\"{(isReference ? "#fff4ec" : "#fafafa")}\"/>");
        var label = isReference ? "shared-queue (ideal)" : row.Name;
        svg.WriteLine($"<text x=\"{F(Left - 14)}\" y=\"{F(middle + 4)}\" text-anchor=\"end\" fill=\"#222\"{(isReference ? " font-style=\"italic\"" : string.Empty)}>{Escape(label)}</text>");
        svg.WriteLine($"<line x1=\"{F(axis.X(row.P50Ms))}\" y1=\"{F(middle)}\" x2=\"{F(axis.X(row.P99Ms))}\" y2=\"{F(middle)}\" stroke=\"#bbb\" stroke-width=\"6\" stroke-linecap=\"round\"/>");
        foreach (var (name, color, value) in Series)
        {
            svg.WriteLine($"<circle cx=\"{F(axis.X(value(row)))}\" cy=\"{F(middle)}\" r=\"6\" fill=\"{color}\" stroke=\"#fff\" stroke-width=\"1\"><title>{Escape(row.Name)} {name}: {Duration(value(row))}</title></circle>");
        }

        svg.WriteLine($"<text x=\"{F(axis.X(row.P99Ms) + 12)}\" y=\"{F(middle + 4)}\" fill=\"#D55E00\" font-size=\"12\">{Duration(row.P99Ms)}</text>");
    }

    /// <summary>Splits <paramref name="text"/> after commas or semicolons into lines of at most about <paramref name="length"/> characters.</summary>
    private static List<string> Wrap(string text, int length)
    {
        var lines = new List<string>();
        var line = string.Empty;
        foreach (var piece in SplitAfterSeparators(text))
        {
            if (line.Length > 0 && line.Length + piece.Length > length)
            {
                lines.Add(line.TrimEnd());
                line = piece.TrimStart();
            }
            else
            {
                line += piece;
            }
        }

        if (line.Length > 0)
        {
            lines.Add(line.TrimEnd());
        }

        return lines;
    }

    private static IEnumerable<string> SplitAfterSeparators(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is ',' or ';' && i + 1 < text.Length && text[i + 1] == ' ')
            {
                yield return text[start..(i + 1)];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private static bool IsPowerOfTen(double value) => Math.Abs(Math.Log10(value) - Math.Round(Math.Log10(value))) < 1e-9;

    /// <summary>"850 ms", "1.2 s", "2 min": short labels for a millisecond value.</summary>
    internal static string Duration(double ms) => ms switch
    {
        < 1 => ms.ToString("0.##", CultureInfo.InvariantCulture) + " ms",
        < 1000 => ms.ToString("0.#", CultureInfo.InvariantCulture) + " ms",
        < 60_000 => (ms / 1000).ToString("0.##", CultureInfo.InvariantCulture) + " s",
        _ => (ms / 60_000).ToString("0.#", CultureInfo.InvariantCulture) + " min",
    };

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SvgDocument.Escape(text);
}
