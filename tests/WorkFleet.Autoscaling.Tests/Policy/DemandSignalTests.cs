using WorkFleet.Autoscaling.Policy;

namespace WorkFleet.Autoscaling.Tests.Policy;

public sealed class DemandSignalTests
{
    [Fact]
    public void Slots_NoBacklog_IsRateTimesRunTime()
    {
        // Little's law: 20 tasks/s of 1.5 s each keep 30 tasks running.
        Assert.Equal(30, DemandSignal.Slots(20, 1.5, 0, TimeSpan.FromSeconds(5)), 12);
    }

    [Fact]
    public void Slots_Backlog_AddsSlotsThatDrainItInTime()
    {
        // 100 waiting tasks of 2 s emptied within 40 s need 100 x 2 / 40 = 5 more slots; 10/s x 2 s = 20 for the arrivals.
        Assert.Equal(25, DemandSignal.Slots(10, 2, 100, TimeSpan.FromSeconds(40)), 12);
    }

    [Fact]
    public void Slots_NothingArrivingNothingWaiting_IsZero()
    {
        Assert.Equal(0, DemandSignal.Slots(0, 3, 0, TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [InlineData(-1, 1, 0, 5, "arrivalRatePerSecond")]
    [InlineData(1, double.NaN, 0, 5, "meanRunSeconds")]
    [InlineData(1, 1, -1, 5, "waitingTasks")]
    [InlineData(1, 1, 0, 0, "drainWithin")]
    public void Slots_ImpossibleInput_ThrowsNamingIt(double rate, double run, int waiting, double drainSeconds, string name)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => DemandSignal.Slots(rate, run, waiting, TimeSpan.FromSeconds(drainSeconds)));

        Assert.Equal(name, ex.ParamName);
    }

    [Fact]
    public void Utilization_IsSlotsOverFleetCapacity()
    {
        // 30 slots on 10 workers of 4: 0.75.
        Assert.Equal(0.75, DemandSignal.Utilization(30, 10, 4), 12);
    }

    [Fact]
    public void Utilization_NoWorkers_MeasuredAgainstOneWorkerSoDemandWakesTheFleet()
    {
        Assert.Equal(1.5, DemandSignal.Utilization(6, 0, 4), 12);
        Assert.Equal(0, DemandSignal.Utilization(0, 0, 4));
    }

    [Fact]
    public void HpaPolicy_OnDemandSignal_AsksForSlotsOverSlotsPerWorkerAtTarget()
    {
        // 20 tasks/s of 1 s plus 70 waiting drained in 35 s = 22 slots; at 4 slots and target 0.7: ceil(22 / 2.8) = 8,
        // whatever the current fleet (here 3, far below). The old signal, (running + waiting) / capacity, would count the
        // 70 waiting as 70 lasting slots: ceil((12 + 70) / 2.8) = 30.
        var slots = DemandSignal.Slots(20, 1, 70, TimeSpan.FromSeconds(35));
        var policy = new HpaPolicy(new HpaPolicyOptions { MaxWorkers = 100, ScaleUpMaxWorkers = null, ScaleUpMaxPercent = null });

        var decision = policy.Decide(
            new ScalingInput(DateTimeOffset.UnixEpoch, 3, DemandSignal.Utilization(slots, 3, 4), WaitingTasks: 70), new ScalingHistory());

        Assert.Equal(8, decision.DesiredWorkers);
    }
}
