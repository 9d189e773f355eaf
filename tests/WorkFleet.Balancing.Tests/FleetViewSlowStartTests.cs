using WorkFleet.Balancing.Strategies;
using WorkFleet.Balancing.Tests.Support;

namespace WorkFleet.Balancing.Tests;

public sealed class FleetViewSlowStartTests
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    private static FleetView CreateView(TimeSpan window) =>
        new(new WeightedLeastLoadStrategy(new Random(1)), Liveness) { SlowStartWindow = window };

    [Theory]
    [InlineData(0, 0.4)]    // the floor: 10% of 4
    [InlineData(3, 0.4)]    // 5% elapsed is still under the floor
    [InlineData(30, 2.0)]   // half way
    [InlineData(45, 3.0)]
    [InlineData(60, 4.0)]   // done
    [InlineData(600, 4.0)]
    public void EffectiveWeight_NewIncarnation_RampsLinearlyFromTheFloorToTheFullWeight(int secondsSinceStart, double expected)
    {
        // Arrange: the worker process started at Now.
        var view = CreateView(Window);
        view.Apply(Workers.Create("w1", weight: 4, incarnation: Workers.Now));

        // Act
        var weight = view.EffectiveWeight("w1", Workers.Now.AddSeconds(secondsSinceStart));

        // Assert
        Assert.Equal(expected, weight, 9);
    }

    [Fact]
    public void EffectiveWeight_WorkerRunningLongBeforeTheDispatcherSawIt_HasFullWeight()
    {
        // Arrange: a dispatcher that (re)starts learns of a worker whose process started an hour ago.
        var view = CreateView(Window);

        // Act
        view.Apply(Workers.Create("w1", weight: 4, incarnation: Workers.Now.AddHours(-1)));

        // Assert
        Assert.Equal(4, view.EffectiveWeight("w1", Workers.Now), 9);
    }

    [Fact]
    public void EffectiveWeight_WorkerRestarts_RampsAgainFromItsNewIncarnation()
    {
        // Arrange
        var view = CreateView(Window);
        view.Apply(Workers.Create("w1", weight: 4, sequence: 50, incarnation: Workers.Now.AddHours(-1)));

        // Act
        view.Apply(Workers.Create("w1", weight: 4, sequence: 1, incarnation: Workers.Now.AddSeconds(-15)));

        // Assert: 15 s of 60 elapsed.
        Assert.Equal(1.0, view.EffectiveWeight("w1", Workers.Now), 9);
    }

    [Fact]
    public void EffectiveWeight_WorkerBackAfterLongerThanTheLivenessTimeout_RampsFromItsReturn()
    {
        // Arrange: same process, but silent for a minute (a network partition, a long GC pause).
        var view = CreateView(Window);
        view.Apply(Workers.Create("w1", weight: 4, sequence: 1, incarnation: Workers.Started, lastSeen: Workers.Now.AddMinutes(-1)));

        // Act
        view.Apply(Workers.Create("w1", weight: 4, sequence: 2, incarnation: Workers.Started, lastSeen: Workers.Now));

        // Assert
        Assert.Equal(0.4, view.EffectiveWeight("w1", Workers.Now), 9);
        Assert.Equal(2.0, view.EffectiveWeight("w1", Workers.Now.AddSeconds(30)), 9);
    }

    [Fact]
    public void EffectiveWeight_SlowStartOff_IsTheConfiguredWeightFromTheStart()
    {
        // Arrange
        var view = CreateView(TimeSpan.Zero);

        // Act
        view.Apply(Workers.Create("w1", weight: 4, incarnation: Workers.Now));

        // Assert
        Assert.Equal(TimeSpan.Zero, new FleetView(new WeightedLeastLoadStrategy(), Liveness).SlowStartWindow);
        Assert.Equal(4, view.EffectiveWeight("w1", Workers.Now), 9);
    }

    [Fact]
    public void Select_NewWorkerInItsWindow_GetsFewerTasksThanAnEstablishedEqualOne()
    {
        // Arrange: both weight 4; "fresh" started 15 s ago, so strategies see weight 1 for it.
        var view = CreateView(Window);
        view.Apply(Workers.Create("established", weight: 4, capacity: 100, incarnation: Workers.Now.AddHours(-1)));
        view.Apply(Workers.Create("fresh", weight: 4, capacity: 100, incarnation: Workers.Now.AddSeconds(-15)));
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);

        // Act: 50 tasks with the ledger recording each.
        for (var i = 0; i < 50; i++)
        {
            var id = view.Select(Workers.Requirements(), Workers.Now).WorkerId!;
            view.Ledger.Assign(id, Workers.Key(i));
            counts[id] = counts.GetValueOrDefault(id) + 1;
        }

        // Assert: weighted least load splits 4 : 1.
        Assert.Equal(new Dictionary<string, int> { ["established"] = 40, ["fresh"] = 10 }, counts);
    }

    [Fact]
    public void Init_NegativeWindowOrFractionOutOfRange_Throws()
    {
        // Act
        var window = Assert.Throws<ArgumentOutOfRangeException>(() => CreateView(TimeSpan.FromSeconds(-1)));
        var fraction = Assert.Throws<ArgumentOutOfRangeException>(
            () => new FleetView(new WeightedLeastLoadStrategy(), Liveness) { SlowStartMinimumWeightFraction = 0 });

        // Assert
        Assert.Contains("SlowStartWindow", window.Message, StringComparison.Ordinal);
        Assert.Contains("SlowStartMinimumWeightFraction", fraction.Message, StringComparison.Ordinal);
    }
}
