using WorkFleet.Balancing.Strategies;

namespace WorkFleet.Balancing.Tests.Strategies;

public sealed class LeastConnectionsStrategyTests
{
    [Fact]
    public void Select_RandomCandidateSets_NeverPicksABusierWorker()
    {
        // Arrange: 2,000 random sets of 1 to 30 candidates with random loads and weights.
        var strategy = new LeastConnectionsStrategy(new Random(11));
        var random = new Random(2024);

        for (var round = 0; round < 2_000; round++)
        {
            var candidates = new WorkerCandidate[random.Next(1, 31)];
            for (var i = 0; i < candidates.Length; i++)
            {
                candidates[i] = new WorkerCandidate(i, random.Next(1, 9), 16, random.Next(0, 6), 0);
            }

            // Act
            var chosen = strategy.Select(candidates);

            // Assert
            Assert.Equal(candidates.Min(c => c.Load), candidates[chosen].Load);
        }
    }

    [Fact]
    public void Select_HeavierWorkerWithMoreLoad_PicksTheLighterLoadedOneIgnoringWeight()
    {
        // Arrange: weighted-least-load would pick index 1 ((1+1)/8 < (0+1)/1); least-connections does not.
        var strategy = new LeastConnectionsStrategy(new Random(1));
        WorkerCandidate[] candidates = [new(0, 1, 8, 0, 0), new(1, 8, 8, 1, 0)];

        // Act
        var chosen = strategy.Select(candidates);

        // Assert
        Assert.Equal(0, chosen);
    }

    [Fact]
    public void Select_ThreeTiedAndOneBusier_SharesTiesRoughlyUniformly()
    {
        // Arrange
        var strategy = new LeastConnectionsStrategy(new Random(3));
        WorkerCandidate[] candidates = [new(0, 1, 8, 2, 0), new(1, 4, 8, 3, 0), new(2, 2, 8, 2, 0), new(3, 1, 8, 2, 0)];
        var counts = new int[4];

        // Act
        for (var i = 0; i < 30_000; i++)
        {
            counts[strategy.Select(candidates)]++;
        }

        // Assert
        Assert.Equal(0, counts[1]);
        Assert.All(new[] { counts[0], counts[2], counts[3] }, c => Assert.InRange(c, 9_400, 10_600));
    }

    [Fact]
    public void Select_EmptySpan_ReturnsMinusOne()
    {
        // Arrange
        var strategy = new LeastConnectionsStrategy(new Random(1));

        // Act
        var chosen = strategy.Select([]);

        // Assert
        Assert.Equal(-1, chosen);
    }
}
