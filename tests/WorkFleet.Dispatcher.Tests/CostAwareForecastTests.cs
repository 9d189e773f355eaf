using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WorkFleet.Balancing;
using WorkFleet.Balancing.CostAware;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Tests.Support;

namespace WorkFleet.Dispatcher.Tests;

/// <summary>
/// The cost-aware allocator's forecast of when busy slots free: attempts it did not grant (observed from another
/// dispatcher, restored from the store) end when their cost says, and a forecast kept between passes follows the fleet.
/// </summary>
/// <remarks>
/// Most tests share one picture: a fast worker (weight 4) whose one slot is busy and a slow one (weight 1) that is free.
/// A large task (1 s at weight 1) arrives: held for the fast worker when its slot is expected to free soon (finish
/// there ≈ 0.1 + 0.25 s), started on the slow one (1 s) when the busy slot never frees in the forecast.
/// </remarks>
public sealed class CostAwareForecastTests
{
    private const double LargeCostMs = 1_000;
    private const double BusyCostMs = 400;

    private readonly FakeTimeProvider _clock = new(Fleet.Start);
    private readonly JobCostEstimates _costs = new();

    [Fact]
    public async Task Observe_AttemptWithItsCost_LargeTaskHeldForTheFastWorker_StartsThereWhenTheAttemptEnds()
    {
        // Arrange
        var slots = await CreateFleetAsync();
        slots.Observe("fast", new ObservedAttempt(Fleet.Key(1), Fleet.JobType, BusyCostMs));

        // Act
        var large = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 0, LargeCostMs, CancellationToken.None);
        var heldAtFirst = !large.IsCompleted;
        slots.Replace("fast", Fleet.Key(1), Array.Empty<ObservedAttempt>());

        // Assert
        Assert.True(heldAtFirst);
        Assert.Equal(new Selection(SelectionOutcome.Selected, "fast"), await large.WaitAsync(Fleet.Due));
    }

    [Fact]
    public async Task Observe_AttemptFromASenderThatTellsNoCost_NeverEnds_LargeTaskStartsOnTheSlowWorker()
    {
        // Arrange: an older dispatcher's broadcast carries neither job type nor cost.
        var slots = await CreateFleetAsync();
        slots.Observe("fast", new ObservedAttempt(Fleet.Key(1)));

        // Act
        var large = await slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 0, LargeCostMs, CancellationToken.None).WaitAsync(Fleet.Due);

        // Assert
        Assert.Equal(new Selection(SelectionOutcome.Selected, "slow"), large);
    }

    [Fact]
    public async Task Observe_JobTypeOnly_TheLearnedEstimateGivesTheEnd_LargeTaskHeld()
    {
        // Arrange: the job type is known to cost 400 ms at weight 1.
        for (var i = 0; i < 3; i++)
        {
            _costs.Observe(Fleet.JobType, TimeSpan.FromMilliseconds(BusyCostMs), 1);
        }

        var slots = await CreateFleetAsync();
        slots.Observe("fast", new ObservedAttempt(Fleet.Key(1), Fleet.JobType));

        // Act
        var large = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 0, LargeCostMs, CancellationToken.None);

        // Assert
        Assert.False(large.IsCompleted);
    }

    [Fact]
    public async Task Replace_SuccessorWithItsCost_LargeTaskHeldForTheFastWorker()
    {
        // Arrange: another dispatcher's attempt ends and its successor takes the slot at once.
        var slots = await CreateFleetAsync();
        slots.Observe("fast", new ObservedAttempt(Fleet.Key(1)));
        slots.Replace("fast", Fleet.Key(1), [new ObservedAttempt(Fleet.Key(3), Fleet.JobType, BusyCostMs)]);

        // Act
        var large = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 0, LargeCostMs, CancellationToken.None);

        // Assert
        Assert.False(large.IsCompleted);
        Assert.Equal(1, Fleet.LoadOf(slots, "fast"));
    }

    [Theory]
    [InlineData(50)]
    [InlineData(5_000)]
    public async Task Restore_OpenAttemptWithItsCost_EndsFromItsDispatch_LargeTaskHeld(int dispatchedMsAgo)
    {
        // Arrange: found open at start, sent some time ago (long enough ago that it is overdue: it frees any moment).
        var slots = await CreateFleetAsync();
        slots.Restore("fast", Fleet.Key(1), Fleet.JobType, BusyCostMs, _clock.GetUtcNow() - TimeSpan.FromMilliseconds(dispatchedMsAgo));

        // Act
        var large = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 0, LargeCostMs, CancellationToken.None);

        // Assert
        Assert.False(large.IsCompleted);
    }

    [Fact]
    public async Task Restore_OpenAttemptOfUnknownCost_NeverEnds_LargeTaskStartsOnTheSlowWorker()
    {
        // Arrange: no hint and nothing learned of the job type.
        var slots = await CreateFleetAsync();
        slots.Restore("fast", Fleet.Key(1), Fleet.JobType, expectedCostMs: null, _clock.GetUtcNow());

        // Act
        var large = await slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 0, LargeCostMs, CancellationToken.None).WaitAsync(Fleet.Due);

        // Assert
        Assert.Equal(new Selection(SelectionOutcome.Selected, "slow"), large);
    }

    [Fact]
    public async Task RequestDrain_FastWorkerAfterALargeTaskWasHeldForIt_TheTaskTakesTheSlowSlot()
    {
        // Arrange: the large task is held for the fast worker, busy with a task granted here.
        var slots = await CreateFleetAsync(grantBusy: true);
        var large = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 0, LargeCostMs, CancellationToken.None);
        var heldAtFirst = !large.IsCompleted;

        // Act
        slots.RequestDrain("fast", _clock.GetUtcNow());
        slots.Tick();

        // Assert
        Assert.True(heldAtFirst);
        Assert.Equal(new Selection(SelectionOutcome.Selected, "slow"), await large.WaitAsync(Fleet.Due));
    }

    [Fact]
    public async Task Tick_FastWorkerSilentPastTheLivenessTimeout_HeldTaskTakesTheSlowSlot()
    {
        // Arrange: liveness 1 s; the large task (5 s at weight 1, so due 5 s after it arrived) is held.
        var slots = await CreateFleetAsync(grantBusy: true, liveness: TimeSpan.FromSeconds(1));
        var large = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 0, 5 * LargeCostMs, CancellationToken.None);
        var heldAtFirst = !large.IsCompleted;

        // Act: only the slow worker keeps reporting.
        _clock.Advance(TimeSpan.FromMilliseconds(1_500));
        slots.Apply(Worker("slow", weight: 1, sequence: 2));
        slots.Tick();

        // Assert
        Assert.True(heldAtFirst);
        Assert.Equal(new Selection(SelectionOutcome.Selected, "slow"), await large.WaitAsync(Fleet.Due));
    }

    [Fact]
    public async Task Apply_FasterFreeWorkerJoinsWhileALargeTaskIsHeld_TheTaskStartsOnIt()
    {
        // Arrange: held for the busy fast worker (weight 4).
        var slots = await CreateFleetAsync(grantBusy: true);
        var large = slots.AcquireAsync(Fleet.Needs(), Fleet.Key(2), 0, LargeCostMs, CancellationToken.None);
        var heldAtFirst = !large.IsCompleted;

        // Act: a free worker of weight 8 reports (0.125 s there).
        slots.Apply(Worker("faster", weight: 8));

        // Assert
        Assert.True(heldAtFirst);
        Assert.Equal(new Selection(SelectionOutcome.Selected, "faster"), await large.WaitAsync(Fleet.Due));
    }

    private async Task<SlotAllocator> CreateFleetAsync(bool grantBusy = false, TimeSpan? liveness = null)
    {
        var slots = new SlotAllocator(
            Options.Create(new DispatcherOptions
            {
                DispatcherId = "test-dispatcher",
                LivenessTimeout = liveness ?? Fleet.Liveness,
                UnsupportedJobGracePeriod = Fleet.Grace,
                Strategy = CostAwarePlacement.StrategyName,
            }),
            _clock,
            _costs);
        slots.Apply(Worker("fast", weight: 4));
        if (grantBusy)
        {
            // The only worker yet: the busy task takes the fast slot, expected to end in 0.1 s.
            var busy = await slots.AcquireAsync(Fleet.Needs(), Fleet.Key(1), 0, BusyCostMs, CancellationToken.None).WaitAsync(Fleet.Due);
            Assert.Equal("fast", busy.WorkerId);
        }

        slots.Apply(Worker("slow", weight: 1));
        return slots;
    }

    private WorkerSnapshot Worker(string workerId, double weight, long sequence = 1) =>
        Fleet.Worker(_clock, workerId, capacity: 1, sequence: sequence) with { Weight = weight };
}
