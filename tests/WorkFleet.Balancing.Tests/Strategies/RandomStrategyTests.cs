using WorkFleet.Balancing.Strategies;

namespace WorkFleet.Balancing.Tests.Strategies;

public sealed class RandomStrategyTests
{
    [Fact]
    public void Select_FourCandidatesOfDifferentWeightAndLoad_PicksEachAboutEquallyOften()
    {
        // Arrange: weight and load are ignored.
        var strategy = new RandomStrategy(new Random(5));
        WorkerCandidate[] candidates = [new(0, 1, 8, 7, 0), new(1, 8, 8, 0, 0), new(2, 2, 8, 3, 0), new(3, 4, 8, 1, 0)];
        var counts = new int[4];

        // Act
        for (var i = 0; i < 40_000; i++)
        {
            counts[strategy.Select(candidates)]++;
        }

        // Assert: each share is 1/4 within +-1.5 percentage points.
        Assert.All(counts, c => Assert.InRange(c, 9_400, 10_600));
    }

    [Fact]
    public void Select_EmptySpan_ReturnsMinusOne()
    {
        // Arrange
        var strategy = new RandomStrategy(new Random(5));

        // Act
        var chosen = strategy.Select([]);

        // Assert
        Assert.Equal(-1, chosen);
    }
}
