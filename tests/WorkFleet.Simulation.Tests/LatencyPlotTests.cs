using System.Globalization;
using System.Xml.Linq;
using WorkFleet.Simulation.Plotting;

namespace WorkFleet.Simulation.Tests;

public sealed class LatencyPlotTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Write_ThreeStrategies_WellFormedSvgWithRowsByP99AndALegend()
    {
        StrategyResult[] results = [Result("slow", 50, 900, 4000), Result(FleetSimulator.SharedQueue, 30, 120, 240), Result("fast<&>", 31, 130, 250)];
        using var writer = new StringWriter(CultureInfo.InvariantCulture);

        LatencyPlot.Write(writer, results, "title", "4 workers, load 0.85");

        var svg = XDocument.Parse(writer.ToString()).Root!;
        Assert.Equal(Svg + "svg", svg.Name);
        var texts = svg.Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("p50", texts);
        Assert.Contains("p95", texts);
        Assert.Contains("p99", texts);
        var rows = texts.Where(t => t is "slow" or "fast<&>" or "shared-queue (ideal)").ToList();
        Assert.Equal(["shared-queue (ideal)", "fast<&>", "slow"], rows);
        Assert.Contains("4 s", texts);
        Assert.Equal(3 * results.Length, svg.Descendants(Svg + "circle").Count(c => c.Element(Svg + "title") is not null));
    }

    [Fact]
    public void Write_NoResults_Throws()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);

        Assert.Throws<ArgumentException>(() => LatencyPlot.Write(writer, [], "title", string.Empty));
    }

    private static StrategyResult Result(string name, double p50, double p95, double p99) => new()
    {
        Name = name,
        Completed = 1,
        P50Ms = p50,
        P95Ms = p95,
        P99Ms = p99,
        MeanMs = p50,
        MaxMs = p99,
        MeanWaitMs = 0,
        MakespanMs = 1,
        LowerBoundMs = 1,
        P99FloorMs = 1,
        Utilization = 1,
        Workers = [],
    };
}
