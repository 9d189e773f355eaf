using WorkFleet.Balancing.Strategies;
using WorkFleet.Balancing.Tests.Support;

namespace WorkFleet.Balancing.Tests.Strategies;

public sealed class PowerOfTwoChoicesStrategyTests
{
    [Fact]
    public void Select_TwoCandidatesWithDifferentScores_AlwaysPicksTheBetter()
    {
        // Arrange: 5,000 random pairs, in both orders.
        var strategy = new PowerOfTwoChoicesStrategy(new Random(8));
        var random = new Random(99);

        for (var round = 0; round < 5_000; round++)
        {
            WorkerCandidate[] pair =
            [
                new(0, random.Next(1, 9), 16, random.Next(0, 10), 0),
                new(1, random.Next(1, 9), 16, random.Next(0, 10), 0),
            ];
            var scores = pair.Select(c => WeightedLeastLoadStrategy.Score(c)).ToArray();
            if (scores[0] == scores[1])
            {
                continue;
            }

            // Act
            var chosen = strategy.Select(pair);

            // Assert
            Assert.Equal(scores[0] < scores[1] ? 0 : 1, chosen);
        }
    }

    [Fact]
    public void Select_ManyCandidates_PicksTheBetterOfTheTwoDistinctOnesItDrew()
    {
        // Arrange: the random source records the two positions drawn for each decision.
        var random = new RecordingRandom(17);
        var strategy = new PowerOfTwoChoicesStrategy(random);
        var inputs = new Random(4);

        for (var round = 0; round < 3_000; round++)
        {
            var candidates = new WorkerCandidate[inputs.Next(3, 40)];
            for (var i = 0; i < candidates.Length; i++)
            {
                candidates[i] = new WorkerCandidate(i, inputs.Next(1, 9), 16, inputs.Next(0, 10), 0);
            }

            random.Draws.Clear();

            // Act
            var chosen = strategy.Select(candidates);

            // Assert: draws are position, then one of the n - 1 others; the chosen one is the better of them.
            var first = random.Draws[0];
            var second = random.Draws[1] >= first ? random.Draws[1] + 1 : random.Draws[1];
            Assert.NotEqual(first, second);
            Assert.Contains(chosen, new[] { first, second });
            var other = chosen == first ? second : first;
            Assert.True(
                WeightedLeastLoadStrategy.Score(candidates[chosen]) <= WeightedLeastLoadStrategy.Score(candidates[other]),
                $"round {round}: chose {chosen} over {other}");
        }
    }

    [Fact]
    public void Select_ManyCandidates_SamplesEveryPositionAboutEquallyOften()
    {
        // Arrange: identical candidates, so the choice is one of the two samples at random: uniform overall.
        var strategy = new PowerOfTwoChoicesStrategy(new Random(23));
        var candidates = Enumerable.Range(0, 5).Select(i => new WorkerCandidate(i, 1, 8, 0, 0)).ToArray();
        var counts = new int[5];

        // Act
        for (var i = 0; i < 50_000; i++)
        {
            counts[strategy.Select(candidates)]++;
        }

        // Assert
        Assert.All(counts, c => Assert.InRange(c, 9_400, 10_600));
    }

    [Theory]
    [InlineData(0, -1)]
    [InlineData(1, 0)]
    public void Select_FewerThanTwoCandidates_ReturnsTheOnlyOneOrMinusOne(int count, int expected)
    {
        // Arrange
        var strategy = new PowerOfTwoChoicesStrategy(new Random(1));
        var candidates = Enumerable.Range(0, count).Select(i => new WorkerCandidate(i, 1, 8, 0, 0)).ToArray();

        // Act
        var chosen = strategy.Select(candidates);

        // Assert
        Assert.Equal(expected, chosen);
    }

    [Fact]
    public void SampleSize_Always_IsTwo()
    {
        // Arrange
        var random = new Random(1);
        ILoadBalancingStrategy strategy = new PowerOfTwoChoicesStrategy(random);

        // Act
        var sampling = strategy as ISamplingStrategy;

        // Assert
        Assert.NotNull(sampling);
        Assert.Equal(2, sampling.SampleSize);
        Assert.Same(random, sampling.Random);
    }
}
