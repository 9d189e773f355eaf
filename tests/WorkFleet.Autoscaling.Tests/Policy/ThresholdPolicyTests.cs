using WorkFleet.Autoscaling.Policy;
using WorkFleet.Autoscaling.Tests.Support;

namespace WorkFleet.Autoscaling.Tests.Policy;

public sealed class ThresholdPolicyTests
{
    private static readonly DateTimeOffset T0 = Series.Start;

    private static ScalingDecision Decide(ThresholdPolicyOptions options, ScalingInput input) =>
        new ThresholdPolicy(options).Decide(input, new ScalingHistory());

    [Theory]
    [InlineData(0.81, 5)] // above 0.8: one step up
    [InlineData(0.80, 4)] // at the threshold: holds
    [InlineData(0.79, 4)]
    [InlineData(0.50, 4)]
    [InlineData(0.21, 4)]
    [InlineData(0.20, 4)] // at the threshold: holds
    [InlineData(0.19, 3)] // below 0.2: one step down
    public void Decide_AroundThresholds_FollowsRule(double load, int expected)
    {
        var decision = Decide(new ThresholdPolicyOptions(), new ScalingInput(T0, 4, load));

        Assert.Equal(expected, decision.DesiredWorkers);
    }

    [Fact]
    public void Decide_StepOfTwo_AddsTwo()
    {
        var decision = Decide(new ThresholdPolicyOptions { Step = 2 }, new ScalingInput(T0, 4, 0.9));

        Assert.Equal(6, decision.DesiredWorkers);
        Assert.Equal("load 0.90 above 0.80: 4 -> 6", decision.Reason);
    }

    [Fact]
    public void Decide_ForecastPresent_DecidesOnForecast()
    {
        // Measured 0.5 would hold; the forecast 0.9 is above 0.8.
        var decision = Decide(new ThresholdPolicyOptions(), new ScalingInput(T0, 4, 0.5, Forecast: 0.9));

        Assert.Equal(5, decision.DesiredWorkers);
    }

    [Fact]
    public void Decide_AtMax_CappedAtMax()
    {
        var decision = Decide(new ThresholdPolicyOptions { MaxWorkers = 4 }, new ScalingInput(T0, 4, 0.95));

        Assert.Equal(4, decision.DesiredWorkers);
        Assert.EndsWith("capped at 4 by max", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_AtMin_StaysAtMin()
    {
        var decision = Decide(new ThresholdPolicyOptions { MinWorkers = 2 }, new ScalingInput(T0, 2, 0.05));

        Assert.Equal(2, decision.DesiredWorkers);
    }

    [Fact]
    public void Decide_IdleWithMinZero_StepsToZeroAndWakesOnWaitingTask()
    {
        var options = new ThresholdPolicyOptions { MinWorkers = 0 };

        var toZero = Decide(options, new ScalingInput(T0, 1, 0));
        var stays = Decide(options, new ScalingInput(T0, 0, 0));
        var woken = Decide(options, new ScalingInput(T0, 0, 0, WaitingTasks: 1));

        Assert.Equal(0, toZero.DesiredWorkers);
        Assert.Equal(0, stays.DesiredWorkers);
        Assert.Equal(1, woken.DesiredWorkers);
    }

    [Fact]
    public void Decide_LowLoadButNotIdleWithMinZero_KeepsOneWorker()
    {
        var decision = Decide(new ThresholdPolicyOptions { MinWorkers = 0 }, new ScalingInput(T0, 1, 0.1));

        Assert.Equal(1, decision.DesiredWorkers);
    }

    [Fact]
    public void Constructor_LowerThresholdNotBelowUpper_ThrowsNamingIt()
    {
        var options = new ThresholdPolicyOptions { ScaleDownBelow = 0.8, ScaleUpAbove = 0.8 };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ThresholdPolicy(options));

        Assert.Equal(nameof(ThresholdPolicyOptions.ScaleDownBelow), error.ParamName);
    }
}
