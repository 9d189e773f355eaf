using WorkFleet.Balancing.Strategies;
using WorkFleet.Balancing.Tests.Support;

namespace WorkFleet.Balancing.Tests;

public sealed class FleetViewPrefetchTests
{
    private static readonly TimeSpan Liveness = TimeSpan.FromSeconds(5);

    private static readonly ShortTaskPrefetch OnePerSlotUpTo20Ms = new(PerSlot: 1, MaxTaskMs: 20);

    private static FleetView CreateView(ShortTaskPrefetch prefetch) =>
        new(new FastestFreeSlotStrategy(new Random(1)), Liveness) { Prefetch = prefetch };

    private static WorkerSnapshot Worker(string id, double ewmaMs, int capacity = 2, double weight = 1, bool isDraining = false) =>
        Workers.Create(id, weight: weight, capacity: capacity, isDraining: isDraining) with { EwmaTaskDurationMs = ewmaMs };

    /// <summary>Selects and assigns until the view says no; returns the assignments per worker and the final outcome.</summary>
    private static (Dictionary<string, int> Counts, SelectionOutcome Last) FillUp(FleetView view, int atMost = 1000)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < atMost; i++)
        {
            var selection = view.Select(Workers.Requirements(), Workers.Now);
            if (selection.Outcome != SelectionOutcome.Selected)
            {
                return (counts, selection.Outcome);
            }

            Assert.True(view.Ledger.Assign(selection.WorkerId!, Workers.Key(i)));
            counts[selection.WorkerId!] = counts.GetValueOrDefault(selection.WorkerId!) + 1;
        }

        throw new InvalidOperationException($"the view still selected after {atMost} assignments");
    }

    [Fact]
    public void Select_ShortTaskWorkers_HoldUpToCapacityTimesOnePlusPerSlot_ThenNoFreeSlot()
    {
        // Arrange
        var view = CreateView(OnePerSlotUpTo20Ms);
        view.Apply(Worker("a", ewmaMs: 0.5, capacity: 2));
        view.Apply(Worker("b", ewmaMs: 20, capacity: 3));

        // Act
        var (counts, last) = FillUp(view);

        // Assert: 2 × 2 and 3 × 2, and not one more.
        Assert.Equal(new Dictionary<string, int> { ["a"] = 4, ["b"] = 6 }, counts);
        Assert.Equal(SelectionOutcome.NoFreeSlot, last);
    }

    [Fact]
    public void Select_FreeSlotAnywhere_GoesThereBeforeAnyWorkerHoldsMoreThanItsCapacity()
    {
        // Arrange: "long" runs long tasks, so it never prefetches; it still has two free slots.
        var view = CreateView(OnePerSlotUpTo20Ms);
        view.Apply(Worker("short", ewmaMs: 1, capacity: 2));
        view.Apply(Worker("long", ewmaMs: 5_000, capacity: 2));
        Assert.True(view.Ledger.Assign("short", Workers.Key(100)));
        Assert.True(view.Ledger.Assign("short", Workers.Key(101)));

        // Act
        var first = view.Select(Workers.Requirements(), Workers.Now);
        Assert.True(view.Ledger.Assign(first.WorkerId!, Workers.Key(0)));
        var second = view.Select(Workers.Requirements(), Workers.Now);
        Assert.True(view.Ledger.Assign(second.WorkerId!, Workers.Key(1)));
        var third = view.Select(Workers.Requirements(), Workers.Now);

        // Assert: the long worker's free slots first, only then a prefetch to the short one.
        Assert.Equal(new[] { "long", "long", "short" }, new[] { first.WorkerId!, second.WorkerId!, third.WorkerId! });
    }

    [Theory]
    [InlineData(0.0)] // not measured yet (no task finished)
    [InlineData(20.5)] // longer than the bound
    public void Select_WorkerNotKnownToRunShortTasks_NeverHoldsMoreThanItsCapacity(double ewmaMs)
    {
        // Arrange
        var view = CreateView(OnePerSlotUpTo20Ms);
        view.Apply(Worker("w", ewmaMs, capacity: 3));

        // Act
        var (counts, last) = FillUp(view);

        // Assert
        Assert.Equal(new Dictionary<string, int> { ["w"] = 3 }, counts);
        Assert.Equal(SelectionOutcome.NoFreeSlot, last);
    }

    [Fact]
    public void Select_PrefetchOff_NeverMoreThanCapacity()
    {
        // Arrange
        var view = CreateView(ShortTaskPrefetch.Off);
        view.Apply(Worker("w", ewmaMs: 1, capacity: 3));

        // Act
        var (counts, last) = FillUp(view);

        // Assert
        Assert.Equal(new Dictionary<string, int> { ["w"] = 3 }, counts);
        Assert.Equal(SelectionOutcome.NoFreeSlot, last);
    }

    [Fact]
    public void Select_DrainingOrIncapableShortTaskWorker_GetsNoPrefetch()
    {
        // Arrange
        var view = CreateView(OnePerSlotUpTo20Ms);
        view.Apply(Worker("draining", ewmaMs: 1, capacity: 2, isDraining: true));
        view.Apply(Workers.Create("other-jobs", capacity: 2, jobTypes: ["matrix.multiply"]) with { EwmaTaskDurationMs = 1 });
        view.Apply(Worker("able", ewmaMs: 1, capacity: 2));

        // Act
        var (counts, last) = FillUp(view);

        // Assert
        Assert.Equal(new Dictionary<string, int> { ["able"] = 4 }, counts);
        Assert.Equal(SelectionOutcome.NoFreeSlot, last);
    }

    [Fact]
    public void Select_AllFull_PrefetchGoesToTheWorkerWithFewestRoundsAheadPerUnitOfSpeed()
    {
        // Arrange: both full with 2 of 2; the worker twice as fast has 2 / 2 = 1 round per unit of speed ahead of a
        // new task, the slow one 2 / 1 = 2.
        var view = CreateView(new ShortTaskPrefetch(PerSlot: 2, MaxTaskMs: 20));
        view.Apply(Worker("slow", ewmaMs: 2, capacity: 2, weight: 1));
        view.Apply(Worker("fast", ewmaMs: 1, capacity: 2, weight: 2));
        for (var i = 0; i < 2; i++)
        {
            Assert.True(view.Ledger.Assign("slow", Workers.Key(100 + i)));
            Assert.True(view.Ledger.Assign("fast", Workers.Key(200 + i)));
        }

        // Act
        var first = view.Select(Workers.Requirements(), Workers.Now);

        // Assert
        Assert.Equal("fast", first.WorkerId);
        Assert.True(view.Ledger.Assign(first.WorkerId!, Workers.Key(900)));
        var (rest, last) = FillUp(view);
        Assert.Equal(3, rest["fast"]);
        Assert.Equal(4, rest["slow"]);
        Assert.Equal(SelectionOutcome.NoFreeSlot, last);
    }

    [Theory]
    [InlineData(-1, 20.0)]
    [InlineData(17, 20.0)]
    [InlineData(1, double.NaN)]
    [InlineData(1, -1.0)]
    public void Prefetch_OutOfRange_Throws(int perSlot, double maxTaskMs) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CreateView(new ShortTaskPrefetch(perSlot, maxTaskMs)));
}
