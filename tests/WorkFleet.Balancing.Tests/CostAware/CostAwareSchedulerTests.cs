using WorkFleet.Balancing.CostAware;

namespace WorkFleet.Balancing.Tests.CostAware;

public sealed class CostAwareSchedulerTests
{
    [Fact]
    public void Dispatch_LargeAndSmallWaiting_LargeGetsTheFastSlotAndSmallTheSlowOne()
    {
        var fleet = new SlotForecast();
        var slow = fleet.AddWorker(1, 1);
        var fast = fleet.AddWorker(4, 1);
        var scheduler = new CostAwareScheduler<string>(new AgingRule(), fleet) { BudgetQuantile = 0 };
        scheduler.Enqueue("small", 0, arrivalMs: 0, expectedCostMs: 20);
        scheduler.Enqueue("large", 0, arrivalMs: 0, expectedCostMs: 400);
        var started = new List<StartedTask<string>>();

        scheduler.Dispatch(nowMs: 0, started);

        Assert.Contains(new StartedTask<string>("large", fast, 100), started);
        Assert.Contains(new StartedTask<string>("small", slow, 20), started);
        Assert.Equal(0, scheduler.Waiting.Count);
    }

    [Fact]
    public void Dispatch_NoFreeSlot_StartsNothing()
    {
        var fleet = new SlotForecast();
        fleet.Start(fleet.AddWorker(1, 1), 50);
        var scheduler = new CostAwareScheduler<string>(new AgingRule(), fleet);
        scheduler.Enqueue("task", 0, 0, 20);
        var started = new List<StartedTask<string>>();

        Assert.Equal(0, scheduler.Dispatch(0, started));
        Assert.Empty(started);
        Assert.Equal(1, scheduler.Waiting.Count);
    }

    [Fact]
    public void Dispatch_ShortestFirst_StreamOfShortTasks_LongTaskStartsWithinTheAgingBound()
    {
        // One slot, short tasks (10 ms) arriving every 10 ms: the slot is never idle, and shortest-first alone
        // would run the long task (1,000 ms, arrived at 0) only after the stream ends. With aging it is due at
        // d = a + min(A · ê, H) = 1,000 ms; from then on only tasks due before it (at most the one short task
        // waiting then) start first, so it starts by d + D, D = the time n + 1 = 2 slots take to free (2 × 10 ms).
        var rule = new AgingRule { AgingFactor = 1, MaxHeadStart = TimeSpan.FromSeconds(5) };

        var start = LoneTaskStartMs(rule, holds: false, streamCostMs: 10, loneCostMs: 1_000, streamMs: 20_000);

        Assert.InRange(start, 0, rule.DueMs(0, 1_000) + (2 * 10));
    }

    [Fact]
    public void Dispatch_ShortestFirst_WithoutAging_LongTaskWaitsForTheStreamToEnd()
    {
        // The control: an aging horizon beyond the stream is pure shortest-first, and the long task starves.
        var rule = new AgingRule { AgingFactor = 1_000, MaxHeadStart = TimeSpan.FromDays(1) };

        var start = LoneTaskStartMs(rule, holds: false, streamCostMs: 10, loneCostMs: 1_000, streamMs: 20_000);

        Assert.True(start >= 20_000, $"long task started at {start} ms");
    }

    [Fact]
    public void Dispatch_CostAware_StreamOfLongTasks_ShortTaskStartsWithinTheAgingBound()
    {
        // The cost-aware pass weighs larger tasks first among those not due, so there a stream of long tasks is
        // the threat: the short task (10 ms) is due at 10 ms and then goes before any task not due, i.e. in the
        // first slot that frees (D = one long task, 100 ms).
        var rule = new AgingRule { AgingFactor = 1, MaxHeadStart = TimeSpan.FromSeconds(5) };

        var start = LoneTaskStartMs(rule, holds: true, streamCostMs: 100, loneCostMs: 10, streamMs: 20_000);

        Assert.InRange(start, 0, rule.DueMs(0, 10) + 100);
    }

    [Fact]
    public void Dispatch_CostAware_WithoutAging_LeastSlackFirstLetsOnlyEarlierLongTasksPass()
    {
        // Even with no aging, the pass orders tasks not due by a - ê / w_max: a long task passes the short one
        // (arrived at 0) only if it arrived before 0 + (100 - 10) / 1 = 90 ms, so the short task starts in the first
        // slot that frees after that (at 100 ms), not after the stream.
        var rule = new AgingRule { AgingFactor = 1e6, MaxHeadStart = TimeSpan.FromDays(1) };

        var start = LoneTaskStartMs(rule, holds: true, streamCostMs: 100, loneCostMs: 10, streamMs: 20_000);

        Assert.InRange(start, 0, 90 + 100);
    }

    [Fact]
    public void Dispatch_TailTaskNotDue_ShorterTasksTakeTheFreeSlotFirst()
    {
        // Expected costs 10 (x 99) and 1,000: the 1,000 ms task is above 1.2 x the p99 of expected costs, a tail
        // task; by slack alone (0 - 250 against 1 - 2.5) it would go first.
        var fleet = new SlotForecast();
        var fast = fleet.AddWorker(4, 2);
        fleet.Start(fast, 10);
        var scheduler = new CostAwareScheduler<string>(new AgingRule(), fleet) { BudgetQuantile = 0 };
        scheduler.Enqueue("tail", 0, arrivalMs: 0, expectedCostMs: 1_000);
        for (var i = 0; i < 99; i++)
        {
            scheduler.Enqueue("short" + i, 0, arrivalMs: 1, expectedCostMs: 10);
        }

        var started = new List<StartedTask<string>>();

        scheduler.Dispatch(nowMs: 1, started);

        var only = Assert.Single(started);
        Assert.StartsWith("short", only.Item, StringComparison.Ordinal);
    }

    [Fact]
    public void Dispatch_TailTaskNotDue_LeavesABusyWorkersLastFreeSlot()
    {
        var fleet = new SlotForecast();
        fleet.Start(fleet.AddWorker(4, 2), 10);
        var scheduler = new CostAwareScheduler<string>(new AgingRule(), fleet) { BudgetQuantile = 0 };
        for (var i = 0; i < 99; i++)
        {
            scheduler.Costs.Record(10);
        }

        scheduler.Enqueue("tail", 0, arrivalMs: 0, expectedCostMs: 1_000);
        var started = new List<StartedTask<string>>();

        Assert.Equal(0, scheduler.Dispatch(nowMs: 0, started));
        Assert.Equal(1, scheduler.Waiting.Count);
        Assert.Equal(1, scheduler.Dispatch(nowMs: 1_000, started));
    }

    [Fact]
    public void Dispatch_TailTaskNotDue_StartsOnAnIdleWorker()
    {
        var fleet = new SlotForecast();
        var worker = fleet.AddWorker(4, 1);
        var scheduler = new CostAwareScheduler<string>(new AgingRule(), fleet) { BudgetQuantile = 0 };
        for (var i = 0; i < 99; i++)
        {
            scheduler.Costs.Record(10);
        }

        scheduler.Enqueue("tail", 0, arrivalMs: 0, expectedCostMs: 1_000);
        var started = new List<StartedTask<string>>();

        scheduler.Dispatch(nowMs: 0, started);

        Assert.Equal([new StartedTask<string>("tail", worker, 250)], started);
    }

    /// <summary>
    /// One slot of weight 1; a stream task arrives every <paramref name="streamCostMs"/> (so the slot is never
    /// idle) until <paramref name="streamMs"/>, the lone task at 0 just after the first stream task started.
    /// Returns when the lone task started.
    /// </summary>
    private static double LoneTaskStartMs(AgingRule rule, bool holds, double streamCostMs, double loneCostMs, double streamMs)
    {
        var fleet = new SlotForecast();
        var worker = fleet.AddWorker(weight: 1, capacity: 1);
        var scheduler = new CostAwareScheduler<string>(rule, fleet) { HoldForFasterWorkers = holds, BudgetQuantile = 0 };
        var started = new List<StartedTask<string>>();
        double? runningEnd = null;
        var next = 0;
        for (var now = 0.0; now < streamMs + 100_000; now += streamCostMs)
        {
            if (runningEnd is { } end && end <= now)
            {
                Assert.True(fleet.Finish(worker, end));
                runningEnd = null;
            }

            if (now < streamMs)
            {
                scheduler.Enqueue("stream" + next++, 0, now, streamCostMs);
            }

            started.Clear();
            scheduler.Dispatch(now, started);
            if (now == 0)
            {
                scheduler.Enqueue("lone", 0, now, loneCostMs);
            }

            foreach (var task in started)
            {
                if (task.Item == "lone")
                {
                    return now;
                }

                runningEnd = task.ExpectedEndMs;
            }
        }

        throw new InvalidOperationException("The lone task never started.");
    }
}
