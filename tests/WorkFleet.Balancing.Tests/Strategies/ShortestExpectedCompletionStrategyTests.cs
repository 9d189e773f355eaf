using WorkFleet.Balancing.Strategies;

namespace WorkFleet.Balancing.Tests.Strategies;

public sealed class ShortestExpectedCompletionStrategyTests
{
    [Fact]
    public void Select_BothFree_PicksTheShorterMeasuredDurationEvenAgainstWeight()
    {
        // Arrange: index 0 is configured heavier but measured slower (120 ms vs 80 ms).
        var strategy = new ShortestExpectedCompletionStrategy(new Random(1));
        WorkerCandidate[] candidates = [new(0, 4, 4, 0, 120), new(1, 1, 4, 1, 80)];

        // Act
        var chosen = strategy.Select(candidates);

        // Assert
        Assert.Equal(1, chosen);
    }

    [Theory]
    [InlineData(3, 20.0, 0)] // 10 * (3/2 + 1) = 20 < 25: the fast worker, though a task waits one round there.
    [InlineData(4, 30.0, 1)] // 10 * (4/2 + 1) = 30 > 25: the idle slower worker.
    public void Select_FastWorkerWithQueuedRounds_ComparesExpectedCompletion(int fastLoad, double fastCompletion, int expected)
    {
        // Arrange: fast worker s = 10 ms with 2 slots; slow worker s = 25 ms, idle.
        var strategy = new ShortestExpectedCompletionStrategy(new Random(1));
        WorkerCandidate[] candidates = [new(0, 1, 2, fastLoad, 10), new(1, 1, 4, 0, 25)];

        // Act
        var chosen = strategy.Select(candidates);

        // Assert
        Assert.Equal(fastCompletion, ShortestExpectedCompletionStrategy.ExpectedCompletion(candidates[0], 1), 9);
        Assert.Equal(expected, chosen);
    }

    [Fact]
    public void Select_SameExpectedCompletion_PrefersTheLowerWeightedLoad()
    {
        // Arrange: both 50 ms; scores (2+1)/2 = 1.5 and (0+1)/2 = 0.5.
        var strategy = new ShortestExpectedCompletionStrategy(new Random(1));
        WorkerCandidate[] candidates = [new(0, 2, 8, 2, 50), new(1, 2, 8, 0, 50)];

        // Act
        var chosen = strategy.Select(candidates);

        // Assert
        Assert.Equal(1, chosen);
    }

    [Fact]
    public void Select_UnmeasuredWorker_IsJudgedByItsWeightAgainstTheMeasuredOnes()
    {
        // Arrange: measured work per task at weight 1 is 100 ms (100 * 1 and 50 * 2); the unmeasured worker has
        // weight 4, so it is expected to take 100 / 4 = 25 ms and wins; at weight 1 it would take 100 ms and lose.
        var strategy = new ShortestExpectedCompletionStrategy(new Random(1));
        WorkerCandidate[] fastUnmeasured = [new(0, 1, 4, 0, 100), new(1, 2, 4, 0, 50), new(2, 4, 4, 0, 0)];
        WorkerCandidate[] slowUnmeasured = [new(0, 1, 4, 0, 100), new(1, 2, 4, 0, 50), new(2, 1, 4, 0, 0)];

        // Act
        var chosenFast = strategy.Select(fastUnmeasured);
        var chosenSlow = strategy.Select(slowUnmeasured);

        // Assert
        Assert.Equal(100, ShortestExpectedCompletionStrategy.ReferenceWorkPerTask(fastUnmeasured), 9);
        Assert.Equal(2, chosenFast);
        Assert.Equal(1, chosenSlow);
    }

    [Fact]
    public void Select_NothingMeasured_FallsBackToOneOverWeight()
    {
        // Arrange: s = 1/w, so the heaviest free worker is expected to finish first.
        var strategy = new ShortestExpectedCompletionStrategy(new Random(1));
        WorkerCandidate[] candidates = [new(0, 1, 4, 0, 0), new(1, 3, 4, 2, 0), new(2, 2, 4, 0, 0)];

        // Act
        var chosen = strategy.Select(candidates);

        // Assert
        Assert.Equal(1, chosen);
    }

    [Fact]
    public void Select_RandomCandidateSets_NeverPicksALaterExpectedCompletion()
    {
        // Arrange
        var strategy = new ShortestExpectedCompletionStrategy(new Random(6));
        var random = new Random(60);

        for (var round = 0; round < 2_000; round++)
        {
            var candidates = new WorkerCandidate[random.Next(1, 20)];
            for (var i = 0; i < candidates.Length; i++)
            {
                var capacity = random.Next(1, 5);
                var ewma = random.Next(3) == 0 ? 0 : random.Next(10, 200);
                candidates[i] = new WorkerCandidate(i, random.Next(1, 5), capacity, random.Next(0, 3 * capacity), ewma);
            }

            var reference = ShortestExpectedCompletionStrategy.ReferenceWorkPerTask(candidates);
            var best = candidates.Min(c => ShortestExpectedCompletionStrategy.ExpectedCompletion(c, reference));

            // Act
            var chosen = strategy.Select(candidates);

            // Assert
            Assert.Equal(best, ShortestExpectedCompletionStrategy.ExpectedCompletion(candidates[chosen], reference), 6);
        }
    }
}
