using WorkFleet.Balancing.Strategies;
using WorkFleet.Balancing.Tests.Support;

namespace WorkFleet.Balancing.Tests;

/// <summary>Every strategy in the catalog, driven through <see cref="FleetView"/> as the dispatcher drives it.</summary>
public sealed class FleetViewStrategyTests
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(5);

    public static TheoryData<string> Names => [.. StrategyCatalog.Names];

    private static FleetView CreateView(string strategy, int seed = 1) => new(StrategyCatalog.Create(strategy, new Random(seed)), Liveness);

    [Theory]
    [MemberData(nameof(Names))]
    public void Select_AssignUntilNoFreeSlot_FillsEveryWorkerExactlyToCapacity(string strategy)
    {
        // Arrange: 40 workers (enough for power-of-two to sample) with capacities 1-4, weights 1-3, some
        // foreign load, plus workers that must never be chosen: stale, draining, incapable.
        var view = CreateView(strategy);
        var capacities = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 40; i++)
        {
            var capacity = 1 + (i % 4);
            var foreign = i % 5 == 0 ? 1 : 0;
            view.Apply(Workers.Create($"w{i}", weight: 1 + (i % 3), capacity: capacity, reportedLoad: foreign));
            capacities[$"w{i}"] = capacity;
        }

        view.Apply(Workers.Create("stale", capacity: 50, lastSeen: Workers.Now - Liveness - TimeSpan.FromSeconds(1)));
        view.Apply(Workers.Create("draining", capacity: 50, isDraining: true));
        view.Apply(Workers.Create("incapable", capacity: 50, jobTypes: ["other"]));
        var selections = 0;

        // Act
        Selection selection;
        while ((selection = view.Select(Workers.Requirements(), Workers.Now)).Outcome == SelectionOutcome.Selected)
        {
            Assert.True(capacities.ContainsKey(selection.WorkerId!), $"{strategy} chose {selection.WorkerId}");
            Assert.True(view.EstimatedLoad(selection.WorkerId!) < capacities[selection.WorkerId!]);
            view.Ledger.Assign(selection.WorkerId!, Workers.Key(selections++));
        }

        // Assert: free slots = sum of capacities - foreign load (8 workers carry 1).
        Assert.Equal(SelectionOutcome.NoFreeSlot, selection.Outcome);
        Assert.Equal(capacities.Values.Sum() - 8, selections);
        Assert.All(capacities, c => Assert.Equal(c.Value, view.EstimatedLoad(c.Key)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Select_RandomAssignAndReleaseChurn_NeverExceedsCapacity(string strategy)
    {
        // Arrange
        var view = CreateView(strategy, seed: 5);
        for (var i = 0; i < 30; i++)
        {
            view.Apply(Workers.Create($"w{i}", weight: 1 + (i % 4), capacity: 1 + (i % 3)));
        }

        var random = new Random(77);
        var open = new List<(string Worker, AssignmentKey Key)>();

        // Act: 3,000 steps; each either tries to place a task or finishes a random running one.
        for (var step = 0; step < 3_000; step++)
        {
            if (open.Count > 0 && random.Next(3) == 0)
            {
                var done = open[random.Next(open.Count)];
                open.Remove(done);
                Assert.True(view.Ledger.Release(done.Worker, done.Key));
                continue;
            }

            var selection = view.Select(Workers.Requirements(), Workers.Now);
            if (selection.Outcome == SelectionOutcome.Selected)
            {
                view.Ledger.Assign(selection.WorkerId!, Workers.Key(step));
                open.Add((selection.WorkerId!, Workers.Key(step)));
            }

            // Assert
            Assert.All(view.Workers, w => Assert.InRange(view.EstimatedLoad(w.WorkerId), 0, w.Capacity));
        }

        Assert.Equal(open.Count, view.Ledger.Count);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Select_NothingEligible_ReportsTheSameOutcomesForEveryStrategy(string strategy)
    {
        // Arrange: 30 full workers, 30 incapable ones and 30 stale ones.
        var full = CreateView(strategy);
        var incapable = CreateView(strategy);
        var dead = CreateView(strategy);
        for (var i = 0; i < 30; i++)
        {
            full.Apply(Workers.Create($"w{i}", capacity: 2, reportedLoad: 2));
            incapable.Apply(Workers.Create($"w{i}", jobTypes: ["other"]));
            dead.Apply(Workers.Create($"w{i}", lastSeen: Workers.Now.AddMinutes(-1)));
        }

        // Act
        var outcomes = new[] { full, incapable, dead }.Select(v => v.Select(Workers.Requirements(), Workers.Now).Outcome);

        // Assert
        Assert.Equal([SelectionOutcome.NoFreeSlot, SelectionOutcome.NoCapableWorker, SelectionOutcome.NoLiveWorker], outcomes);
    }

    [Fact]
    public void Select_PowerOfTwoWithTwoEligibleAmongHundreds_AlwaysPicksTheBetterOfThem()
    {
        // Arrange: 300 full workers; "good" (score 1/4) and "worse" (score 2/1) are the only free ones, so every
        // sample holds exactly those two, whether found by random draws or by the fallback scan.
        var view = CreateView(PowerOfTwoChoicesStrategy.StrategyName, seed: 9);
        for (var i = 0; i < 150; i++)
        {
            view.Apply(Workers.Create($"full{i}", capacity: 1, reportedLoad: 1));
        }

        view.Apply(Workers.Create("worse", weight: 1, capacity: 100, reportedLoad: 1));
        for (var i = 150; i < 300; i++)
        {
            view.Apply(Workers.Create($"full{i}", capacity: 1, reportedLoad: 1));
        }

        view.Apply(Workers.Create("good", weight: 4, capacity: 100));

        // Act
        var chosen = Enumerable.Range(0, 200).Select(_ => view.Select(Workers.Requirements(), Workers.Now).WorkerId).ToList();

        // Assert
        Assert.All(chosen, id => Assert.Equal("good", id));
    }

    [Fact]
    public void Select_PowerOfTwoOverLargeIdleFleet_SpreadsLikeTheFullScanWould()
    {
        // Arrange: 100 identical idle workers; with no ledger records every decision sees the same fleet, so the
        // sampled path must hand out choices uniformly.
        var view = CreateView(PowerOfTwoChoicesStrategy.StrategyName, seed: 12);
        for (var i = 0; i < 100; i++)
        {
            view.Apply(Workers.Create($"w{i}", capacity: 8));
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);

        // Act
        for (var i = 0; i < 100_000; i++)
        {
            var id = view.Select(Workers.Requirements(), Workers.Now).WorkerId!;
            counts[id] = counts.GetValueOrDefault(id) + 1;
        }

        // Assert: 1,000 each on average; a uniform choice stays well within +-20%.
        Assert.Equal(100, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 800, 1_200));
    }

    [Fact]
    public void Select_RoundRobinThroughFleetView_CyclesWorkersInTheOrderFirstSeen()
    {
        // Arrange
        var view = CreateView(RoundRobinStrategy.StrategyName);
        view.Apply(Workers.Create("c", weight: 4));
        view.Apply(Workers.Create("a", weight: 1));
        view.Apply(Workers.Create("b", weight: 2));

        // Act: each task finishes before the next, so loads never differ.
        var chosen = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var id = view.Select(Workers.Requirements(), Workers.Now).WorkerId!;
            view.Ledger.Assign(id, Workers.Key(i));
            view.Ledger.Release(id, Workers.Key(i));
            chosen.Add(id);
        }

        // Assert
        Assert.Equal(["c", "a", "b", "c", "a", "b"], chosen);
    }

    [Fact]
    public void Select_RoundRobinAfterAWorkerIsRemoved_ContinuesWithTheOthersInOrder()
    {
        // Arrange
        var view = CreateView(RoundRobinStrategy.StrategyName);
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            view.Apply(Workers.Create(id));
        }

        var first = view.Select(Workers.Requirements(), Workers.Now).WorkerId;
        var second = view.Select(Workers.Requirements(), Workers.Now).WorkerId;

        // Act: b was chosen last; removing it shifts c and d down a position but not out of turn.
        view.Remove("b");
        var next = Enumerable.Range(0, 4).Select(_ => view.Select(Workers.Requirements(), Workers.Now).WorkerId).ToList();

        // Assert
        Assert.Equal("a", first);
        Assert.Equal("b", second);
        Assert.Equal(["c", "d", "a", "c"], next);
    }

    [Fact]
    public void Select_SmoothWeightedRoundRobinThroughFleetView_GivesTheNginxSequence()
    {
        // Arrange
        var view = CreateView(SmoothWeightedRoundRobinStrategy.StrategyName);
        view.Apply(Workers.Create("a", weight: 5, capacity: 100));
        view.Apply(Workers.Create("b", weight: 1, capacity: 100));
        view.Apply(Workers.Create("c", weight: 1, capacity: 100));

        // Act
        var chosen = string.Concat(Enumerable.Range(0, 7).Select(_ => view.Select(Workers.Requirements(), Workers.Now).WorkerId));

        // Assert
        Assert.Equal("aabacaa", chosen);
    }
}
