using WorkFleet.Balancing.Strategies;

namespace WorkFleet.Balancing.Tests.Strategies;

public sealed class RoundRobinStrategyTests
{
    private static WorkerCandidate Worker(int index, long key, double weight = 1, int load = 0) =>
        new(index, weight, Capacity: 100, load, EwmaTaskDurationMs: 0, key);

    private static string Run(RoundRobinStrategy strategy, WorkerCandidate[] candidates, int picks, string names = "abcdefgh")
    {
        var chosen = new char[picks];
        for (var i = 0; i < picks; i++)
        {
            chosen[i] = names[(int)candidates[strategy.Select(candidates)].WorkerKey - 1];
        }

        return new string(chosen);
    }

    [Fact]
    public void Select_ThreeCandidatesDifferentWeightsAndLoads_CyclesInKeyOrderIgnoringBoth()
    {
        // Arrange
        var strategy = new RoundRobinStrategy();
        WorkerCandidate[] candidates = [Worker(0, 1, weight: 1, load: 5), Worker(1, 2, weight: 8), Worker(2, 3, weight: 2, load: 1)];

        // Act
        var sequence = Run(strategy, candidates, 7);

        // Assert
        Assert.Equal("abcabca", sequence);
    }

    [Fact]
    public void Select_CandidatesListedOutOfKeyOrder_StillCyclesByKey()
    {
        // Arrange: positions differ from keys; the rotation follows the stable keys.
        var strategy = new RoundRobinStrategy();
        WorkerCandidate[] candidates = [Worker(0, 3), Worker(1, 1), Worker(2, 2)];

        // Act
        var sequence = Run(strategy, candidates, 6);

        // Assert
        Assert.Equal("abcabc", sequence);
    }

    [Fact]
    public void Select_WorkerMissingFromSomeCalls_IsSkippedAndTheCycleContinues()
    {
        // Arrange: b is busy (not a candidate) for the second and third decision.
        var strategy = new RoundRobinStrategy();
        WorkerCandidate[] all = [Worker(0, 1), Worker(1, 2), Worker(2, 3)];
        WorkerCandidate[] withoutB = [Worker(0, 1), Worker(1, 3)];

        // Act
        var first = Run(strategy, all, 1);
        var whileBusy = Run(strategy, withoutB, 2);
        var afterwards = Run(strategy, all, 3);

        // Assert: a, then c a (b skipped), then b resumes in its turn.
        Assert.Equal("a", first);
        Assert.Equal("ca", whileBusy);
        Assert.Equal("bca", afterwards);
    }

    [Fact]
    public void Select_NewWorkerJoins_TakesItsTurnAtTheEndOfTheCycle()
    {
        // Arrange
        var strategy = new RoundRobinStrategy();
        WorkerCandidate[] before = [Worker(0, 1), Worker(1, 2)];
        WorkerCandidate[] after = [Worker(0, 1), Worker(1, 2), Worker(2, 3)];

        // Act
        var early = Run(strategy, before, 3);
        var late = Run(strategy, after, 4);

        // Assert
        Assert.Equal("aba", early);
        Assert.Equal("bcab", late);
    }

    [Fact]
    public void Select_KeysNotSet_CyclesByIndex()
    {
        // Arrange
        var strategy = new RoundRobinStrategy();
        WorkerCandidate[] candidates = [new(0, 1, 4, 0, 0), new(1, 1, 4, 0, 0), new(2, 1, 4, 0, 0)];
        var chosen = new List<int>();

        // Act
        for (var i = 0; i < 6; i++)
        {
            chosen.Add(strategy.Select(candidates));
        }

        // Assert
        Assert.Equal([0, 1, 2, 0, 1, 2], chosen);
    }

    [Fact]
    public void Select_EmptySpan_ReturnsMinusOne()
    {
        // Arrange
        var strategy = new RoundRobinStrategy();

        // Act
        var chosen = strategy.Select([]);

        // Assert
        Assert.Equal(-1, chosen);
    }
}
