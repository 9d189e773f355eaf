using WorkFleet.Balancing.CostAware;

namespace WorkFleet.Balancing.Tests.CostAware;

public sealed class CostAwarePlacementTests
{
    private const double Now = 1_000;

    [Fact]
    public void Decide_LargeTask_FastWorkerFreesSoon_HeldForTheFastWorker()
    {
        var (fleet, slow, fast) = SlowFreeFastBusy(fastEndsInMs: 10);

        var placement = CostAwarePlacement.Decide(fleet, expectedCostMs: 400, due: false, Now, new int[2]);

        // Fast: 10 ms until its slot frees + 400 / 4 = 110 ms; slow: 400 ms at once.
        Assert.Equal(new Placement(PlacementKind.Hold, fast, 110), placement);
        Assert.NotEqual(slow, placement.Worker);
    }

    [Fact]
    public void Decide_SmallTask_SlowWorkerFinishesItSooner_StartsOnTheSlowWorker()
    {
        var (fleet, slow, _) = SlowFreeFastBusy(fastEndsInMs: 10);

        var placement = CostAwarePlacement.Decide(fleet, expectedCostMs: 8, due: false, Now, new int[2]);

        Assert.Equal(new Placement(PlacementKind.Start, slow, 8), placement);
    }

    [Fact]
    public void Decide_WithoutEstimate_TakesAFreeSlotAndIsNeverHeld()
    {
        var (fleet, slow, _) = SlowFreeFastBusy(fastEndsInMs: 0);

        var placement = CostAwarePlacement.Decide(fleet, expectedCostMs: null, due: false, Now, new int[2]);

        Assert.Equal(PlacementKind.Start, placement.Kind);
        Assert.Equal(slow, placement.Worker);
    }

    [Fact]
    public void Decide_DueTask_IsNeverHeld()
    {
        var (fleet, slow, _) = SlowFreeFastBusy(fastEndsInMs: 10);

        var placement = CostAwarePlacement.Decide(fleet, expectedCostMs: 400, due: true, Now, new int[2]);

        Assert.Equal(new Placement(PlacementKind.Start, slow, 400), placement);
    }

    [Fact]
    public void Decide_FastSlotAlreadyClaimedInThisPass_CountsTheNextOne()
    {
        var fleet = new SlotForecast();
        var slow = fleet.AddWorker(1, 1);
        var fast = fleet.AddWorker(4, 2);
        fleet.Start(fast, Now + 10);
        fleet.Start(fast, Now + 500);

        // The first held task took the slot freeing in 10 ms; the next one would wait 500 ms for the other.
        var placement = CostAwarePlacement.Decide(fleet, expectedCostMs: 400, due: false, Now, [0, 1]);

        Assert.Equal(new Placement(PlacementKind.Start, slow, 400), placement);
    }

    [Fact]
    public void Decide_BothFree_FastestWins_UnlessTheSlowOneIsWithinTheBudget()
    {
        var fleet = new SlotForecast();
        var slow = fleet.AddWorker(1, 1);
        var fast = fleet.AddWorker(4, 1);

        Assert.Equal(fast, CostAwarePlacement.Decide(fleet, 50, due: false, Now, new int[2]).Worker);
        Assert.Equal(slow, CostAwarePlacement.Decide(fleet, 50, due: false, Now, new int[2], budgetMs: 60).Worker);
        Assert.Equal(fast, CostAwarePlacement.Decide(fleet, 100, due: false, Now, new int[2], budgetMs: 60).Worker);
    }

    [Fact]
    public void Decide_EveryWorkerFull_AndTheTaskDue_Waits()
    {
        var fleet = new SlotForecast();
        var only = fleet.AddWorker(1, 1);
        fleet.Start(only, Now + 10);

        Assert.Equal(PlacementKind.Wait, CostAwarePlacement.Decide(fleet, 50, due: true, Now, new int[1]).Kind);
    }

    private static (SlotForecast Fleet, int Slow, int Fast) SlowFreeFastBusy(double fastEndsInMs)
    {
        var fleet = new SlotForecast();
        var slow = fleet.AddWorker(weight: 1, capacity: 1);
        var fast = fleet.AddWorker(weight: 4, capacity: 1);
        fleet.Start(fast, Now + fastEndsInMs);
        return (fleet, slow, fast);
    }
}
