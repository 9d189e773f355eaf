using WorkFleet.Balancing.Strategies;

namespace WorkFleet.Balancing.Tests.Strategies;

public sealed class SmoothWeightedRoundRobinStrategyTests
{
    private static WorkerCandidate Worker(int index, double weight, int load = 0) =>
        new(index, weight, Capacity: 100, load, EwmaTaskDurationMs: 0, WorkerKey: index + 1);

    private static string Run(SmoothWeightedRoundRobinStrategy strategy, WorkerCandidate[] candidates, int picks)
    {
        var chosen = new char[picks];
        for (var i = 0; i < picks; i++)
        {
            chosen[i] = (char)('a' + candidates[strategy.Select(candidates)].WorkerKey - 1);
        }

        return new string(chosen);
    }

    [Fact]
    public void Select_WeightsFiveOneOne_GivesTheNginxSequence()
    {
        // Arrange
        var strategy = new SmoothWeightedRoundRobinStrategy();
        WorkerCandidate[] candidates = [Worker(0, 5), Worker(1, 1), Worker(2, 1)];

        // Act: two full rounds of 7.
        var sequence = Run(strategy, candidates, 14);

        // Assert: spread out, never five a's in a row.
        Assert.Equal("aabacaa" + "aabacaa", sequence);
    }

    [Fact]
    public void Select_WeightsThreeTwoOne_SharesExactlyByWeightEveryRound()
    {
        // Arrange
        var strategy = new SmoothWeightedRoundRobinStrategy();
        WorkerCandidate[] candidates = [Worker(0, 3), Worker(1, 2), Worker(2, 1)];

        // Act: 100 rounds of 6 picks.
        var sequence = Run(strategy, candidates, 600);

        // Assert: every round of 6 holds 3 a, 2 b, 1 c, and the load is ignored.
        for (var round = 0; round < 100; round++)
        {
            var chunk = sequence.Substring(round * 6, 6);
            Assert.Equal(3, chunk.Count(c => c == 'a'));
            Assert.Equal(2, chunk.Count(c => c == 'b'));
            Assert.Equal(1, chunk.Count(c => c == 'c'));
        }
    }

    [Fact]
    public void Select_HeavyWorkerLeavesTheSet_OthersShareAndItResumesWithItsState()
    {
        // Arrange
        var strategy = new SmoothWeightedRoundRobinStrategy();
        WorkerCandidate[] all = [Worker(0, 5), Worker(1, 1), Worker(2, 1)];
        WorkerCandidate[] withoutA = [Worker(1, 1), Worker(2, 1)];

        // Act: a a b, then a is full for four decisions, then everyone again.
        var first = Run(strategy, all, 3);
        var whileAFull = Run(strategy, withoutA, 4);
        var afterwards = Run(strategy, all, 7);

        // Assert: after a a b the current values are a 1, b -4, c 3. Without a, the sums run over b and c
        // only: b still owes for its turn, so c catches up first. a comes back with its frozen value 1.
        Assert.Equal("aab", first);
        Assert.Equal("cccc", whileAFull);
        Assert.Equal("aabaaca", afterwards);
    }

    [Fact]
    public void Select_EmptySpan_ReturnsMinusOne()
    {
        // Arrange
        var strategy = new SmoothWeightedRoundRobinStrategy();

        // Act
        var chosen = strategy.Select([]);

        // Assert
        Assert.Equal(-1, chosen);
    }
}
