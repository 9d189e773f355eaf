using WorkFleet.Balancing.Strategies;

namespace WorkFleet.Balancing.Tests.Strategies;

public sealed class WeightedLeastLoadStrategyTests
{
    [Fact]
    public void Select_FasterWorkerWithSomeLoad_PicksLowestScore()
    {
        // Arrange: scores (0+1)/1 = 1.0 and (2+1)/4 = 0.75.
        var strategy = new WeightedLeastLoadStrategy(new Random(1));
        WorkerCandidate[] candidates =
        [
            new(Index: 0, Weight: 1, Capacity: 4, Load: 0, EwmaTaskDurationMs: 0),
            new(Index: 1, Weight: 4, Capacity: 8, Load: 2, EwmaTaskDurationMs: 0),
        ];

        // Act
        var chosen = strategy.Select(candidates);

        // Assert
        Assert.Equal(1, chosen);
    }

    [Theory]
    [InlineData(1.0, 3.0, 1)]
    [InlineData(3.0, 1.0, 0)]
    public void Select_BothIdle_FastWorkerBeatsSlowOne(double firstWeight, double secondWeight, int expected)
    {
        // Arrange: idle scores are 1/w, so the heavier weight has the lower score.
        var strategy = new WeightedLeastLoadStrategy(new Random(1));
        WorkerCandidate[] candidates =
        [
            new(0, firstWeight, 4, 0, 0),
            new(1, secondWeight, 4, 0, 0),
        ];

        // Act
        var chosen = strategy.Select(candidates);

        // Assert
        Assert.Equal(expected, chosen);
    }

    [Fact]
    public void Select_ThreeIdenticalCandidates_BreaksTiesRoughlyUniformly()
    {
        // Arrange
        var strategy = new WeightedLeastLoadStrategy(new Random(12345));
        WorkerCandidate[] candidates =
        [
            new(0, 2, 4, 1, 0),
            new(1, 2, 4, 1, 0),
            new(2, 2, 4, 1, 0),
        ];
        var counts = new int[3];
        const int Picks = 30_000;

        // Act
        for (var i = 0; i < Picks; i++)
        {
            counts[strategy.Select(candidates)]++;
        }

        // Assert: each share is 1/3 within +-2 percentage points (10,000 +- 600 picks).
        Assert.Equal(Picks, counts.Sum());
        Assert.All(counts, c => Assert.InRange(c, 9_400, 10_600));
    }

    [Fact]
    public void Select_TwoTiedAtMinimumAndOneWorse_NeverPicksTheWorseOne()
    {
        // Arrange: scores 1.0, 0.5, 0.5.
        var strategy = new WeightedLeastLoadStrategy(new Random(7));
        WorkerCandidate[] candidates =
        [
            new(0, 1, 4, 0, 0),
            new(1, 2, 4, 0, 0),
            new(2, 4, 4, 1, 0),
        ];
        var counts = new int[3];

        // Act
        for (var i = 0; i < 1_000; i++)
        {
            counts[strategy.Select(candidates)]++;
        }

        // Assert
        Assert.Equal(0, counts[0]);
        Assert.InRange(counts[1], 400, 600);
        Assert.InRange(counts[2], 400, 600);
    }

    [Fact]
    public void Select_EmptySpan_ReturnsMinusOne()
    {
        // Arrange
        var strategy = new WeightedLeastLoadStrategy(new Random(1));

        // Act
        var chosen = strategy.Select(ReadOnlySpan<WorkerCandidate>.Empty);

        // Assert
        Assert.Equal(-1, chosen);
    }

    [Theory]
    [InlineData(0, 1.0, 1.0)]
    [InlineData(2, 4.0, 0.75)]
    [InlineData(3, 2.0, 2.0)]
    [InlineData(0, 0.5, 2.0)]
    public void Score_LoadAndWeight_IsLoadPlusOneOverWeight(int load, double weight, double expected)
    {
        // Arrange
        var candidate = new WorkerCandidate(0, weight, 10, load, 0);

        // Act
        var score = WeightedLeastLoadStrategy.Score(candidate);

        // Assert
        Assert.Equal(expected, score, 12);
    }

    [Fact]
    public void Name_Always_IsConfigurationName()
    {
        // Arrange
        var strategy = new WeightedLeastLoadStrategy(new Random(1));

        // Act
        var name = strategy.Name;

        // Assert
        Assert.Equal("weighted-least-load", name);
        Assert.Equal("weighted-least-load", WeightedLeastLoadStrategy.StrategyName);
    }
}
