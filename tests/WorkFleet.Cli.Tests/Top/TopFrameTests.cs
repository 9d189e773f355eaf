using Spectre.Console;
using Spectre.Console.Rendering;
using WorkFleet.Cli.Top;
using WorkFleet.Dashboard.Status;

namespace WorkFleet.Cli.Tests.Top;

/// <summary><c>workfleet top</c>'s frame, rendered to plain text as an 80-column terminal would show it.</summary>
public sealed class TopFrameTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 15, 30, TimeSpan.Zero);

    [Fact]
    public void Render_TwoWorkers_ShowsEachWithLoadBarAgainstCapacityAndTheFleetFigures()
    {
        var status = Status(
            [Worker("w-small", "live", load: 1, capacity: 2), Worker("w-big", "suspect", load: 4, capacity: 4)],
            waiting: 3,
            completionRate: 2.5);

        var frame = RenderToText(TopFrame.Render(status, [0, 2.5]));

        var small = Line(frame, "w-small");
        Assert.Contains("live", small, StringComparison.Ordinal);
        Assert.Contains(new string('█', 8) + new string('·', 8), small, StringComparison.Ordinal);
        Assert.Contains("1/2", small, StringComparison.Ordinal);
        var big = Line(frame, "w-big");
        Assert.Contains("suspect", big, StringComparison.Ordinal);
        Assert.Contains(new string('█', 16), big, StringComparison.Ordinal);
        Assert.Contains("4/4", big, StringComparison.Ordinal);
        Assert.Contains("workers live 1/2", frame, StringComparison.Ordinal);
        Assert.Contains("held 5/6", frame, StringComparison.Ordinal);
        Assert.Contains("waiting 3", frame, StringComparison.Ordinal);
        Assert.Contains("completions 2.5/s", frame, StringComparison.Ordinal);
        Assert.Contains("throughput now 2.5/s, peak 2.5/s", frame, StringComparison.Ordinal);
        Assert.Contains("\n▁█", frame, StringComparison.Ordinal);
        Assert.Contains("dispatcher d-1", frame, StringComparison.Ordinal);
        Assert.Contains("10:15:30 UTC", frame, StringComparison.Ordinal);
        Assert.Contains("utilization 50 %", frame, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoWorkersAndAnError_SaysBothWithoutFailing()
    {
        var frame = RenderToText(TopFrame.Render(Status([], waiting: 0, completionRate: 0), [], "cannot read http://x/api/status"));

        Assert.Contains("no workers yet", frame, StringComparison.Ordinal);
        Assert.Contains("cannot read http://x/api/status (showing the last snapshot)", frame, StringComparison.Ordinal);
        Assert.Contains("(no samples yet)", frame, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_IdsWithMarkupCharacters_ShownLiterally()
    {
        var status = Status([Worker("[gpu]w", "live", 0, 1)], waiting: 0, completionRate: 0) with { DispatcherId = "d[1]" };

        var frame = RenderToText(TopFrame.Render(status, [0]));

        Assert.Contains("[gpu]w", frame, StringComparison.Ordinal);
        Assert.Contains("dispatcher d[1]", frame, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 4, 0)]
    [InlineData(4, 4, 16)]
    [InlineData(6, 4, 16)]
    [InlineData(1, 3, 5)]
    [InlineData(1, 0, 0)]
    public void LoadBar_LoadAgainstCapacity_FillsThatShareOfTheCells(int load, int capacity, int filled)
    {
        var bar = TopFrame.LoadBar(load, capacity);

        Assert.Equal(TopFrame.BarWidth, bar.Length);
        Assert.Equal(filled, bar.Count(c => c == '█'));
    }

    [Fact]
    public void Sparkline_Rates_ScaledToTheLargestButAtLeastOnePerSecond()
    {
        Assert.Equal("▁▅█", TopFrame.Sparkline([0, 5, 10]));
        Assert.Equal("▁▁", TopFrame.Sparkline([0, 0]));
        Assert.Equal("▅", TopFrame.Sparkline([0.5]));
    }

    [Fact]
    public void RateHistory_MoreThanCapacity_KeepsTheNewestOldestFirst()
    {
        var history = new RateHistory(3);
        foreach (var rate in new double[] { 1, 2, 3, 4, 5 })
        {
            history.Add(rate);
        }

        Assert.Equal([3, 4, 5], history.Rates);
    }

    private static string RenderToText(IRenderable renderable)
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 80;
        console.Profile.Capabilities.Unicode = true;
        console.Write(renderable);
        return writer.ToString();
    }

    private static string Line(string frame, string containing) =>
        Assert.Single(frame.Split('\n'), line => line.Contains(containing, StringComparison.Ordinal));

    private static DispatcherStatus Status(IReadOnlyList<WorkerStatus> workers, int waiting, double completionRate) => new(
        "d-1",
        "fastest-free-slot",
        Ready: true,
        StartedAt: Now.AddMinutes(-5),
        Now: Now,
        WaitingTasks: waiting,
        Fleet: new FleetStatus(Capacity: 6, workers.Sum(w => w.Load), waiting, 0.5, null, 3, completionRate, null, null),
        Workers: workers,
        Totals: new DispatchTotals(10, 9, 1, new Dictionary<string, long> { ["timeout"] = 1 }, 0, 0),
        Tasks: new Dictionary<string, int> { ["Succeeded"] = 9 },
        TasksError: null);

    private static WorkerStatus Worker(string id, string health, int load, int capacity) =>
        new(id, health, 1, capacity, load, load, 12.5, 400, ["compute.matmul"], [], null, null, null, null);
}
