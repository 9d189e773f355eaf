using WorkFleet.Balancing.CostAware;

namespace WorkFleet.Balancing.Tests.CostAware;

public sealed class SlotForecastTests
{
    [Fact]
    public void ExpectedEndMs_KeepsRunningAttemptsSoonestFirst()
    {
        var fleet = new SlotForecast();
        var worker = fleet.AddWorker(weight: 1, capacity: 3);
        fleet.Start(worker, 300);
        fleet.Start(worker, 100);
        fleet.Start(worker, 200);

        Assert.Equal([100, 200, 300, double.PositiveInfinity], [.. Enumerable.Range(0, 4).Select(n => fleet.ExpectedEndMs(worker, n))]);
        Assert.Equal(0, fleet.FreeSlots);
    }

    [Fact]
    public void Finish_FreesTheSlotOfThatAttempt()
    {
        var fleet = new SlotForecast();
        var worker = fleet.AddWorker(1, 2);
        fleet.Start(worker, 100);
        fleet.Start(worker, 200);

        Assert.True(fleet.Finish(worker, 100));
        Assert.Equal(200, fleet.ExpectedEndMs(worker, 0));
        Assert.Equal(1, fleet.FreeSlots);
        Assert.False(fleet.Finish(worker, 100));
    }

    [Fact]
    public void Start_OnAFullWorker_Throws()
    {
        var fleet = new SlotForecast();
        var worker = fleet.AddWorker(1, 1);
        fleet.Start(worker, 100);

        Assert.Throws<InvalidOperationException>(() => fleet.Start(worker, 200));
    }
}
