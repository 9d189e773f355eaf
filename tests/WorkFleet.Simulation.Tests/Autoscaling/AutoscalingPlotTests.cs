using System.Xml.Linq;
using WorkFleet.Simulation.Autoscaling;
using WorkFleet.Simulation.Plotting;

namespace WorkFleet.Simulation.Tests.Autoscaling;

public sealed class AutoscalingPlotTests
{
    [Fact]
    public void Write_EveryPolicy_ValidSvgWithOneLinePerPolicyAndTheNeededWorkersLine()
    {
        var scenario = new AutoscalingScenario { Trace = new LoadTrace(LoadShape.SineSpikes, 10, 40, 600) };
        var simulator = new AutoscalingSimulator(scenario);
        var results = AutoscalingPolicies.Names.Select(simulator.Run).ToList();
        using var writer = new StringWriter();

        AutoscalingPlot.Write(writer, scenario, results, "title <&>", "subtitle");

        var svg = XDocument.Parse(writer.ToString());
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(results.Count + 1, svg.Descendants(ns + "polyline").Count());
        Assert.All(AutoscalingPolicies.Names, name => Assert.Contains(svg.Descendants(ns + "text"), t => t.Value == name));
        Assert.Contains(svg.Descendants(ns + "text"), t => t.Value == "title <&>");
    }
}
