using System.Globalization;
using WorkFleet.Simulation.Autoscaling;

namespace WorkFleet.Simulation.Plotting;

/// <summary>
/// Draws workers over time per autoscaling policy as a hand-written SVG line chart, with the workers the trace's
/// load needs at the target utilization as a dashed black line, so lag and overshoot read at a glance.
/// </summary>
public static class AutoscalingPlot
{
    private const double Width = 960;
    private const double Height = 520;
    private const double Left = 70;
    private const double Right = 190;
    private const double Top = 80;
    private const double Bottom = 60;

    private static readonly string[] Colors = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442"];

    /// <summary>Writes the chart as a complete SVG document.</summary>
    /// <param name="writer">Where the SVG goes; not closed.</param>
    /// <param name="scenario">The scenario the results come from (sizes the needed-workers line).</param>
    /// <param name="results">One entry per policy, at least one.</param>
    /// <param name="title">The chart title.</param>
    /// <param name="subtitle">A second line, e.g. the scenario; may be empty.</param>
    public static void Write(TextWriter writer, AutoscalingScenario scenario, IReadOnlyList<AutoscalingResult> results, string title, string subtitle)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0)
        {
            throw new ArgumentException("Nothing to plot.", nameof(results));
        }

        var perWorker = scenario.WorkerCapacity * scenario.TargetUtilization;
        var samples = results.SelectMany(r => r.Timeline).ToList();
        var maxSeconds = Math.Max(scenario.Trace.DurationSeconds, samples.Count == 0 ? 0 : samples.Max(s => s.Seconds));
        var maxWorkers = Math.Max(1, Math.Max(samples.Count == 0 ? 0 : samples.Max(s => s.Workers), scenario.Trace.MaxRate * scenario.MeanCostSeconds / perWorker));
        var yTop = NiceCeiling(maxWorkers);
        double X(double seconds) => Left + (seconds / maxSeconds * (Width - Left - Right));
        double Y(double workers) => Height - Bottom - (workers / yTop * (Height - Top - Bottom));

        SvgDocument.Open(writer, F(Width), F(Height), title);
        writer.WriteLine($"<text x=\"20\" y=\"52\" font-size=\"11\" fill=\"#555\">{Escape(subtitle ?? string.Empty)}</text>");
        for (var i = 0; i <= 5; i++)
        {
            var workers = yTop * i / 5;
            writer.WriteLine($"<line x1=\"{F(Left)}\" y1=\"{F(Y(workers))}\" x2=\"{F(Width - Right)}\" y2=\"{F(Y(workers))}\" stroke=\"#e5e5e5\"/>");
            writer.WriteLine($"<text x=\"{F(Left - 8)}\" y=\"{F(Y(workers) + 4)}\" text-anchor=\"end\" fill=\"#555\">{F(workers)}</text>");
            var seconds = maxSeconds * i / 5;
            writer.WriteLine($"<text x=\"{F(X(seconds))}\" y=\"{F(Height - Bottom + 18)}\" text-anchor=\"middle\" fill=\"#555\">{F(Math.Round(seconds))}</text>");
        }

        writer.WriteLine($"<text x=\"{F((Left + Width - Right) / 2)}\" y=\"{F(Height - 16)}\" text-anchor=\"middle\" fill=\"#333\">time (s)</text>");
        writer.WriteLine($"<text x=\"18\" y=\"{F((Top + Height - Bottom) / 2)}\" transform=\"rotate(-90 18 {F((Top + Height - Bottom) / 2)})\" text-anchor=\"middle\" fill=\"#333\">workers</text>");

        const int needSteps = 400;
        var need = Enumerable.Range(0, needSteps + 1)
            .Select(i => scenario.Trace.DurationSeconds * i / needSteps)
            .Select(t => $"{F(X(t))},{F(Y(scenario.Trace.RateAt(Math.Min(t, scenario.Trace.DurationSeconds - 1e-9)) * scenario.MeanCostSeconds / perWorker))}");
        writer.WriteLine($"<polyline points=\"{string.Join(' ', need)}\" fill=\"none\" stroke=\"#222\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>");
        Legend(writer, 0, "#222", "needed at target (load)", dashed: true);

        for (var i = 0; i < results.Count; i++)
        {
            var color = Colors[i % Colors.Length];
            var points = Steps(results[i].Timeline, maxSeconds).Select(p => $"{F(X(p.Seconds))},{F(Y(p.Workers))}");
            writer.WriteLine($"<polyline points=\"{string.Join(' ', points)}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"1.6\" opacity=\"0.85\"/>");
            Legend(writer, i + 1, color, results[i].Policy, dashed: false);
        }

        writer.WriteLine("</svg>");
    }

    /// <summary>The timeline as a step function (the count holds until the next control step).</summary>
    private static IEnumerable<(double Seconds, int Workers)> Steps(IReadOnlyList<FleetSample> timeline, double end)
    {
        for (var i = 0; i < timeline.Count; i++)
        {
            yield return (timeline[i].Seconds, timeline[i].Workers);
            var next = i + 1 < timeline.Count ? timeline[i + 1].Seconds : end;
            yield return (next, timeline[i].Workers);
        }
    }

    private static void Legend(TextWriter svg, int row, string color, string label, bool dashed)
    {
        var x = Width - Right + 16;
        var y = Top + 10 + (row * 22);
        var dash = dashed ? " stroke-dasharray=\"6 4\"" : string.Empty;
        svg.WriteLine($"<line x1=\"{F(x)}\" y1=\"{F(y)}\" x2=\"{F(x + 26)}\" y2=\"{F(y)}\" stroke=\"{color}\" stroke-width=\"2\"{dash}/>");
        svg.WriteLine($"<text x=\"{F(x + 32)}\" y=\"{F(y + 4)}\" fill=\"#333\">{Escape(label)}</text>");
    }

    private static double NiceCeiling(double value)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1.0, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= value)
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }

    private static string F(double value) => Math.Round(value, 2).ToString(CultureInfo.InvariantCulture);

    private static string Escape(string text) => SvgDocument.Escape(text);
}
