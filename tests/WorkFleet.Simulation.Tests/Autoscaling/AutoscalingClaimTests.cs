using WorkFleet.Simulation.Autoscaling;

namespace WorkFleet.Simulation.Tests.Autoscaling;

/// <summary>What the autoscaling model guarantees, on small seeded traces.</summary>
public sealed class AutoscalingClaimTests
{
    // 10..40 tasks/s of 1 s tasks on 4-slot workers: static-peak = ceil(40 / 2.8) = 15 workers, mean of a ramp 25/s -> 9.
    private static readonly AutoscalingScenario Base = new()
    {
        Trace = new LoadTrace(LoadShape.Ramp, 10, 40, 600),
        CostCv = 0,
        StartupSeconds = 30,
        Seed = 7,
    };

    [Fact]
    public void Run_SameSeed_SameNumbers()
    {
        foreach (var policy in AutoscalingPolicies.Names)
        {
            var first = new AutoscalingSimulator(Base with { CostCv = 1 }).Run(policy);
            var second = new AutoscalingSimulator(Base with { CostCv = 1 }).Run(policy);

            Assert.Equal(first with { Timeline = [] }, second with { Timeline = [] });
            Assert.Equal(first.Timeline, second.Timeline);
        }
    }

    [Fact]
    public void Run_TwiceOnOneSimulator_SameNumbers()
    {
        var simulator = new AutoscalingSimulator(Base);

        var first = simulator.Run(AutoscalingPolicies.PredictiveHolt);
        var second = simulator.Run(AutoscalingPolicies.PredictiveHolt);

        Assert.Equal(first with { Timeline = [] }, second with { Timeline = [] });
    }

    [Fact]
    public void StepTrace_StaticPeak_NoSloViolationsAndMostWorkerSeconds()
    {
        // Autoscaled fleets are capped at the static-peak size, so no policy can pay for more workers at any moment.
        var scenario = Base with { Trace = new LoadTrace(LoadShape.Step, 10, 40, 600), MaxWorkers = 15 };
        var simulator = new AutoscalingSimulator(scenario);

        var results = AutoscalingPolicies.Names.Select(simulator.Run).ToDictionary(r => r.Policy);

        var staticPeak = results[AutoscalingPolicies.StaticPeak];
        Assert.Equal(15, staticPeak.PeakWorkers);
        Assert.Equal(0, staticPeak.SloViolationShare);
        Assert.All(results.Values, r => Assert.True(r.WorkerSeconds <= staticPeak.WorkerSeconds, $"{r.Policy}: {r.WorkerSeconds} > {staticPeak.WorkerSeconds}"));
        Assert.True(results[AutoscalingPolicies.Reactive].SloViolationShare > 0, "the step outruns a 30 s start-up");
    }

    [Fact]
    public void RampTrace_StaticMean_ViolatesTheSlo()
    {
        // 9 workers x 4 slots = 36 tasks in service; the ramp's last third offers more than 36 tasks/s of 1 s tasks.
        var result = new AutoscalingSimulator(Base).Run(AutoscalingPolicies.StaticMean);

        Assert.Equal(9, result.PeakWorkers);
        Assert.True(result.SloViolationShare > 0.01, $"violations {result.SloViolationShare}");
    }

    [Theory]
    [InlineData(AutoscalingPolicies.PredictiveLinear)]
    [InlineData(AutoscalingPolicies.PredictiveHolt)]
    public void RampTrace_Predictive_ScalesUpNoLaterThanReactive(string predictive)
    {
        // The fleet starts at its minimum, so nothing scales down before the first scale-up: both fleets are identical
        // until then, and a predictive decision sees max(measured, forecast) >= measured, so it asks for at least as many.
        var scenario = Base with { Trace = new LoadTrace(LoadShape.Ramp, 4, 40, 600), MinWorkers = 2 };
        Assert.Equal(2, scenario.WorkersFor(scenario.Trace.RateAt(0)));
        var simulator = new AutoscalingSimulator(scenario);

        var reactive = simulator.Run(AutoscalingPolicies.Reactive);
        var ahead = simulator.Run(predictive);

        Assert.NotNull(reactive.FirstScaleUpSeconds);
        Assert.NotNull(ahead.FirstScaleUpSeconds);
        Assert.True(ahead.FirstScaleUpSeconds <= reactive.FirstScaleUpSeconds, $"{predictive} {ahead.FirstScaleUpSeconds} s, reactive {reactive.FirstScaleUpSeconds} s");
    }

    [Fact]
    public void Generate_FollowsTheTraceRate()
    {
        // A 600 s ramp 10..40 offers 15000 tasks on average; Poisson noise is about ±122.
        var tasks = TraceTasks.Generate(Base);

        Assert.InRange(tasks.Count, 14_500, 15_500);
        Assert.True(tasks.Count(t => t.ArrivalSeconds >= 300) > tasks.Count(t => t.ArrivalSeconds < 300));
    }
}
