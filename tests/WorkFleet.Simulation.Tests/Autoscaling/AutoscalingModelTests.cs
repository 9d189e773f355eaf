using WorkFleet.Simulation.Autoscaling;

namespace WorkFleet.Simulation.Tests.Autoscaling;

/// <summary>The fleet model on tasks small enough to follow by hand.</summary>
public sealed class AutoscalingModelTests
{
    // One worker with one slot: rate 1 task/s x 1 s at target 1 needs exactly one worker.
    private static readonly AutoscalingScenario OneSlot = new()
    {
        Trace = new LoadTrace(LoadShape.Step, 1, 1, 4),
        WorkerCapacity = 1,
        TargetUtilization = 1,
        TickSeconds = 1,
        StartupSeconds = 0,
        SloWaitSeconds = 3,
    };

    [Fact]
    public void StaticFleet_OneSlot_TasksRunInArrivalOrderAndWaitForTheSlot()
    {
        // Task 0 runs 0..2; task 1 waits 2 s and runs 2..5; task 2 (arrived at 1) waits 4 s and runs 5..6.
        TraceTask[] tasks = [new(0, 2), new(0, 3), new(1, 1)];

        var result = new AutoscalingSimulator(OneSlot, tasks).Run(AutoscalingPolicies.StaticPeak);

        Assert.Equal(3, result.Completed);
        Assert.Equal(5, result.P50LatencySeconds, 9); // latencies 2, 5, 5
        Assert.Equal(5, result.P99LatencySeconds, 9);
        Assert.Equal(4, result.P99WaitSeconds, 9);
        Assert.Equal(1.0 / 3, result.SloViolationShare, 9); // only the 4 s wait is above 3 s
        Assert.Equal(6, result.WorkerSeconds, 9); // one worker from 0 until the last task ends at 6
        Assert.Equal(0, result.ScaleEvents);
        Assert.Equal(1, result.PeakWorkers);
    }

    [Fact]
    public void StaticFleet_NoTasks_ChargedForTheTraceOnly()
    {
        var result = new AutoscalingSimulator(OneSlot, []).Run(AutoscalingPolicies.StaticPeak);

        Assert.Equal(0, result.Completed);
        Assert.Equal(4, result.WorkerSeconds, 9);
        Assert.Equal(0, result.SloViolationShare);
    }

    [Fact]
    public void Reactive_BacklogAtFirstDecision_NewWorkersTakeTasksOnlyAfterStartup()
    {
        // Ten 100 s tasks at time 0 on one one-slot worker. The first decision (t = 10) sees load 10 on capacity 1 and
        // scales up (to 10 by the HPA rule, 5 by the rate limit, 2 by max); the new worker is ready at 10 + 20.
        var scenario = OneSlot with
        {
            Trace = new LoadTrace(LoadShape.Step, 0.5, 0.5, 1),
            ControlPeriodSeconds = 10,
            StartupSeconds = 20,
            MaxWorkers = 2,
        };
        var tasks = Enumerable.Range(0, 10).Select(_ => new TraceTask(0, 100)).ToArray();

        var result = new AutoscalingSimulator(scenario, tasks).Run(AutoscalingPolicies.Reactive);

        Assert.Equal(10, result.FirstScaleUpSeconds);
        Assert.Equal(2, result.PeakWorkers);
        var atDecision = result.Timeline.Single(s => s.Seconds == 10);
        Assert.Equal(1, atDecision.Workers);
        var beforeReady = result.Timeline.Single(s => s.Seconds == 20);
        Assert.Equal((2, 1), (beforeReady.Workers, beforeReady.ReadyWorkers));
        var afterReady = result.Timeline.Single(s => s.Seconds == 30);
        Assert.Equal((2, 2), (afterReady.Workers, afterReady.ReadyWorkers));

        // Second task started on the new worker at 30 (wait 30 s), the first ran 0..100.
        Assert.Equal(10, result.Completed);
    }

    [Fact]
    public void Reactive_ScaleDownOfBusyWorkers_DrainingWorkerFinishesItsTaskAndTakesNoNewOne()
    {
        // Two 2-slot workers (rate 4/s x 1 s at target 1). Worker 0 runs tasks of 5 s and 25 s, worker 1 one of 25 s.
        // At t = 10 the load is 2 of 4 slots: 0.5 -> 1 worker. Both run one task; the newer (worker 1) drains.
        // The two tasks arriving at 12 find one free slot (worker 0): the second waits 1 s, so the draining worker took none.
        var scenario = OneSlot with
        {
            Trace = new LoadTrace(LoadShape.Step, 4, 4, 4),
            WorkerCapacity = 2,
            ControlPeriodSeconds = 10,
            ScaleDownWindowSeconds = 0,
        };
        TraceTask[] tasks = [new(0, 5), new(0, 25), new(0, 25), new(12, 1), new(12, 1)];

        var result = new AutoscalingSimulator(scenario, tasks).Run(AutoscalingPolicies.Reactive);

        Assert.Equal(5, result.Completed);
        Assert.Equal(1, result.P99WaitSeconds, 9);
        Assert.Equal(1, result.ScaleEvents);
        var draining = result.Timeline.Single(s => s.Seconds == 20);
        Assert.Equal((2, 1), (draining.Workers, draining.ReadyWorkers)); // still paid for until its task ends at 25
        Assert.Equal(50, result.WorkerSeconds, 9); // 2 workers x 25 s: the draining one leaves when its task is done
    }

    [Fact]
    public void EveryPolicy_DefaultScenario_CompletesEveryTask()
    {
        var simulator = new AutoscalingSimulator(new AutoscalingScenario { Trace = new LoadTrace(LoadShape.Spike, 10, 40, 600) });

        foreach (var policy in AutoscalingPolicies.Names)
        {
            Assert.Equal(simulator.Tasks.Count, simulator.Run(policy).Completed);
        }
    }
}
