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
}
