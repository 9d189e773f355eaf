using WorkFleet.Balancing.Strategies;

namespace WorkFleet.Balancing.Tests.Strategies;

public sealed class FastestFreeSlotStrategyTests
{
    [Fact]
    public void Select_IdleSlowWorkerAndHalfBusyFastOne_PicksTheFastOne()
    {
        // Arrange: (q+1)/w ties these (1/1 vs 8/8); the task ends 8 times sooner on the fast worker's free slot.
        var strategy = new FastestFreeSlotStrategy(new Random(1));
        WorkerCandidate[] candidates = [new(0, 1, 2, 0, 0), new(1, 8, 16, 7, 0)];

        // Act
        var picks = Enumerable.Range(0, 1_000).Select(_ => strategy.Select(candidates)).Distinct().ToList();

        // Assert
        Assert.Equal([1], picks);
    }

    [Fact]
    public void Select_RandomCandidateSets_PicksTheHighestWeightAmongThoseWithAFreeSlot()
    {
        // Arrange: candidates below capacity, as the fleet view offers them.
        var strategy = new FastestFreeSlotStrategy(new Random(5));
        var random = new Random(2026);

        for (var round = 0; round < 2_000; round++)
        {
            var candidates = new WorkerCandidate[random.Next(1, 31)];
            for (var i = 0; i < candidates.Length; i++)
            {
                var capacity = random.Next(1, 17);
                candidates[i] = new WorkerCandidate(i, random.Next(1, 9), capacity, random.Next(0, capacity), 0);
            }

            // Act
            var chosen = candidates[strategy.Select(candidates)];

            // Assert: the fastest; among the fastest, the least loaded per weight.
            var fastest = candidates.Max(c => c.Weight);
            Assert.Equal(fastest, chosen.Weight);
            Assert.Equal(candidates.Where(c => c.Weight == fastest).Min(c => c.Load), chosen.Load);
        }
    }

    [Fact]
    public void Select_SerialWorkers_AgreesWithWeightedLeastLoad()
    {
        // Arrange: with one slot each, rounds ahead are (q + 1) / w exactly; a full worker (q = c) counts 2 rounds.
        var strategy = new FastestFreeSlotStrategy(new Random(2));
        WorkerCandidate[] candidates = [new(0, 4, 1, 1, 0), new(1, 1, 1, 0, 0), new(2, 3, 1, 1, 0)];

        // Act
        var chosen = strategy.Select(candidates);

        // Assert: scores 2/4, 1/1, 2/3 -> index 0.
        Assert.Equal(0, chosen);
        Assert.Equal(0.5, FastestFreeSlotStrategy.Rounds(candidates[0]));
    }

    [Fact]
    public void Select_EqualWorkers_SharesTiesRoughlyUniformly()
    {
        // Arrange
        var strategy = new FastestFreeSlotStrategy(new Random(3));
        WorkerCandidate[] candidates = [new(0, 2, 4, 1, 0), new(1, 2, 4, 1, 0), new(2, 2, 4, 3, 0), new(3, 1, 4, 0, 0)];
        var counts = new int[4];

        // Act
        for (var i = 0; i < 20_000; i++)
        {
            counts[strategy.Select(candidates)]++;
        }

        // Assert: index 2 is as fast but busier; index 3 is slower.
        Assert.Equal(0, counts[2]);
        Assert.Equal(0, counts[3]);
        Assert.InRange(counts[0], 9_400, 10_600);
    }

    [Fact]
    public void Select_Empty_ReturnsMinusOne()
    {
        var strategy = new FastestFreeSlotStrategy(new Random(4));

        Assert.Equal(-1, strategy.Select([]));
    }
}
