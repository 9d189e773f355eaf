using WorkFleet.Autoscaling.Policy;
using WorkFleet.Autoscaling.Tests.Support;

namespace WorkFleet.Autoscaling.Tests.Policy;

public sealed class HpaPolicyTests
{
    private static readonly DateTimeOffset T0 = Series.Start;

    // Windows and limits off unless a test is about them, so each test sees one rule.
    private static HpaPolicyOptions Plain(int min = 1, int max = 20) => new()
    {
        MinWorkers = min,
        MaxWorkers = max,
        TargetUtilization = 0.7,
        ScaleDownStabilization = TimeSpan.Zero,
        ScaleUpMaxWorkers = null,
        ScaleUpMaxPercent = null,
    };

    private static ScalingDecision Decide(HpaPolicyOptions options, ScalingInput input, ScalingHistory? history = null) =>
        new HpaPolicy(options).Decide(input, history ?? new ScalingHistory());

    [Fact]
    public void Decide_SignalAboveTarget_ScalesByRatio()
    {
        // ceil(4 × 1.05 / 0.7) = ceil(6) = 6.
        var decision = Decide(Plain(), new ScalingInput(T0, 4, 1.05));

        Assert.Equal(6, decision.DesiredWorkers);
        Assert.Equal("utilization 1.05 over target 0.70: 4 -> 6", decision.Reason);
    }

    [Fact]
    public void Decide_SignalBelowTarget_ScalesDownByRatio()
    {
        // ceil(10 × 0.35 / 0.7) = 5.
        var decision = Decide(Plain(), new ScalingInput(T0, 10, 0.35));

        Assert.Equal(5, decision.DesiredWorkers);
    }

    [Theory]
    [InlineData(0.76, 4)] // 0.76 / 0.7 = 1.086: within 0.1, stays
    [InlineData(0.64, 4)] // 0.914: within 0.1, stays
    [InlineData(0.78, 5)] // 1.114: outside, ceil(4 × 1.114) = ceil(4.46) = 5
    public void Decide_NearTarget_HonoursTolerance(double signal, int expected)
    {
        var decision = Decide(Plain(), new ScalingInput(T0, 4, signal));

        Assert.Equal(expected, decision.DesiredWorkers);
    }

    [Fact]
    public void Decide_JustOutsideToleranceBelow_ScalesDown()
    {
        // 0.62 / 0.7 = 0.886, outside 0.1: ceil(10 × 0.886) = ceil(8.86) = 9.
        var decision = Decide(Plain(), new ScalingInput(T0, 10, 0.62));

        Assert.Equal(9, decision.DesiredWorkers);
    }

    [Fact]
    public void Decide_ForecastAboveMax_UsesForecastAndCapsAtMax()
    {
        // The forecast 1.40, not the measured 0.90, drives the rule: ceil(4 × 1.4 / 0.7) = 8, above max 6.
        var decision = Decide(Plain(max: 6), new ScalingInput(T0, 4, 0.9, Forecast: 1.4));

        Assert.Equal(6, decision.DesiredWorkers);
        Assert.Equal("utilization 1.40 forecast over target 0.70: 4 -> 8, capped at 6 by max", decision.Reason);
    }

    [Fact]
    public void Decide_FarBelowTarget_RaisedToMin()
    {
        // ceil(4 × 0.1 / 0.7) = ceil(0.57) = 1, below min 2.
        var decision = Decide(Plain(min: 2), new ScalingInput(T0, 4, 0.1));

        Assert.Equal(2, decision.DesiredWorkers);
        Assert.EndsWith("raised to 2 by min", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ScaleUpBeyondWorkerLimit_LimitedToPlusN()
    {
        // ceil(4 × 2.1 / 0.7) = 12; at most +2 per period from 4: 6.
        var options = new HpaPolicyOptions { TargetUtilization = 0.7, MaxWorkers = 20, ScaleUpMaxWorkers = 2, ScaleUpMaxPercent = null };

        var decision = Decide(options, new ScalingInput(T0, 4, 2.1));

        Assert.Equal(6, decision.DesiredWorkers);
        Assert.Contains("limited to 6 by the scale-up rate", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_ScaleUpBeyondPercentLimit_LimitedToPlusPercent()
    {
        // ceil(4 × 2.1 / 0.7) = 12; at most +50 % per period from 4: ceil(4 × 1.5) = 6.
        var options = new HpaPolicyOptions { TargetUtilization = 0.7, MaxWorkers = 20, ScaleUpMaxWorkers = null, ScaleUpMaxPercent = 50 };

        var decision = Decide(options, new ScalingInput(T0, 4, 2.1));

        Assert.Equal(6, decision.DesiredWorkers);
    }

    [Fact]
    public void Decide_BothScaleUpLimits_TheMorePermissiveApplies()
    {
        // +1 worker allows 5, +50 % allows 6: as HPA's selectPolicy Max, 6.
        var options = new HpaPolicyOptions { TargetUtilization = 0.7, MaxWorkers = 20, ScaleUpMaxWorkers = 1, ScaleUpMaxPercent = 50 };

        var decision = Decide(options, new ScalingInput(T0, 4, 2.1));

        Assert.Equal(6, decision.DesiredWorkers);
    }

    [Fact]
    public void Decide_WorkersAlreadyAddedInPeriod_CountAgainstLimit()
    {
        // Arrange: 10 s ago the fleet went 2 -> 4. The 15 s period started at 2 workers, +2 allows 4: no room.
        var options = new HpaPolicyOptions { TargetUtilization = 0.7, MaxWorkers = 20, ScaleUpMaxWorkers = 2, ScaleUpMaxPercent = null };
        var policy = new HpaPolicy(options);
        var history = new ScalingHistory();
        history.RecordScaleEvent(T0 - TimeSpan.FromSeconds(10), 2, 4);

        // Act
        var within = policy.Decide(new ScalingInput(T0, 4, 2.1), history);
        var afterPeriod = policy.Decide(new ScalingInput(T0 + TimeSpan.FromSeconds(5), 4, 2.1), history);

        // Assert: at T0 + 5 s the event is 15 s old, outside the period (HPA counts events strictly inside it): 4 + 2.
        Assert.Equal(4, within.DesiredWorkers);
        Assert.Equal(6, afterPeriod.DesiredWorkers);
    }

    [Fact]
    public void Decide_ScaleDownBeyondLimit_LimitedToMinusM()
    {
        // ceil(6 × 0.1 / 0.7) = ceil(0.86) = 1; at most −1 per period from 6: 5.
        var options = new HpaPolicyOptions { TargetUtilization = 0.7, ScaleDownStabilization = TimeSpan.Zero, ScaleDownMaxWorkers = 1 };

        var decision = Decide(options, new ScalingInput(T0, 6, 0.1));

        Assert.Equal(5, decision.DesiredWorkers);
        Assert.Contains("limited to 5 by the scale-down rate", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_WorkerAlreadyRemovedInPeriod_NoFurtherScaleDown()
    {
        // 5 s ago the fleet went 7 -> 6: the period started at 7, −1 allows 6, which it already has.
        var options = new HpaPolicyOptions { TargetUtilization = 0.7, ScaleDownStabilization = TimeSpan.Zero, ScaleDownMaxWorkers = 1 };
        var history = new ScalingHistory();
        history.RecordScaleEvent(T0 - TimeSpan.FromSeconds(5), 7, 6);

        var decision = Decide(options, new ScalingInput(T0, 6, 0.1), history);

        Assert.Equal(6, decision.DesiredWorkers);
    }

    [Fact]
    public void Decide_LowerRecommendation_IgnoredUntilScaleDownWindowPasses()
    {
        // Arrange: default 300 s scale-down window. At T0 the load is on target: recommendation 4.
        var policy = new HpaPolicy(new HpaPolicyOptions { TargetUtilization = 0.7 });
        var history = new ScalingHistory();
        var onTarget = policy.Decide(new ScalingInput(T0, 4, 0.7), history);

        // Act: from T0 + 60 s half the load asks for ceil(4 × 0.5) = 2.
        var at60 = policy.Decide(new ScalingInput(T0 + TimeSpan.FromSeconds(60), 4, 0.35), history);
        var at299 = policy.Decide(new ScalingInput(T0 + TimeSpan.FromSeconds(299), 4, 0.35), history);
        var at300 = policy.Decide(new ScalingInput(T0 + TimeSpan.FromSeconds(300), 4, 0.35), history);

        // Assert: the 4 from T0 is the highest recommendation of the window until it is 300 s old.
        Assert.Equal(4, onTarget.DesiredWorkers);
        Assert.Equal(4, at60.DesiredWorkers);
        Assert.Contains("held at 4 by scale-down stabilization", at60.Reason, StringComparison.Ordinal);
        Assert.Equal(4, at299.DesiredWorkers);
        Assert.Equal(2, at300.DesiredWorkers);
    }

    [Fact]
    public void Decide_ScaleUpWithDefaultWindow_ActsAtOnce()
    {
        // The 300 s scale-down window does not slow a scale-up: ceil(4 × 1.4 / 0.7) = 8 ten seconds later.
        var policy = new HpaPolicy(new HpaPolicyOptions { TargetUtilization = 0.7, MaxWorkers = 20 });
        var history = new ScalingHistory();
        policy.Decide(new ScalingInput(T0, 4, 0.7), history);

        var decision = policy.Decide(new ScalingInput(T0 + TimeSpan.FromSeconds(10), 4, 1.4), history);

        Assert.Equal(8, decision.DesiredWorkers);
    }

    [Fact]
    public void Decide_HigherRecommendation_HeldUntilScaleUpWindowPasses()
    {
        // Arrange: a 60 s scale-up window; recommendation 4 at T0, then 8 from T0 + 30 s.
        var options = new HpaPolicyOptions { TargetUtilization = 0.7, MaxWorkers = 20, ScaleUpStabilization = TimeSpan.FromSeconds(60) };
        var policy = new HpaPolicy(options);
        var history = new ScalingHistory();
        policy.Decide(new ScalingInput(T0, 4, 0.7), history);

        // Act
        var at30 = policy.Decide(new ScalingInput(T0 + TimeSpan.FromSeconds(30), 4, 1.4), history);
        var at60 = policy.Decide(new ScalingInput(T0 + TimeSpan.FromSeconds(60), 4, 1.4), history);

        // Assert: at 30 s the lowest recommendation of the last 60 s is T0's 4; at 60 s it has left the window.
        Assert.Equal(4, at30.DesiredWorkers);
        Assert.Contains("held at 4 by scale-up stabilization", at30.Reason, StringComparison.Ordinal);
        Assert.Equal(8, at60.DesiredWorkers);
    }

    [Fact]
    public void Decide_IdleWithMinZero_ScalesToZero()
    {
        var decision = Decide(Plain(min: 0), new ScalingInput(T0, 3, 0));

        Assert.Equal(0, decision.DesiredWorkers);
    }

    [Fact]
    public void Decide_NoLoadButTasksWaitingWithMinZero_KeepsOneWorker()
    {
        var decision = Decide(Plain(min: 0), new ScalingInput(T0, 3, 0, WaitingTasks: 2));

        Assert.Equal(1, decision.DesiredWorkers);
    }

    [Fact]
    public void Decide_AtZeroWithWaitingTask_WakesDespiteWindows()
    {
        // Arrange: a long scale-up window full of zero recommendations would hold a normal scale-up at 0.
        var options = new HpaPolicyOptions { MinWorkers = 0, TargetUtilization = 0.7, ScaleUpStabilization = TimeSpan.FromSeconds(600) };
        var policy = new HpaPolicy(options);
        var history = new ScalingHistory();
        policy.Decide(new ScalingInput(T0, 0, 0), history);

        // Act
        var idle = policy.Decide(new ScalingInput(T0 + TimeSpan.FromSeconds(10), 0, 0), history);
        var woken = policy.Decide(new ScalingInput(T0 + TimeSpan.FromSeconds(20), 0, 0, WaitingTasks: 1), history);

        // Assert
        Assert.Equal(0, idle.DesiredWorkers);
        Assert.Equal(1, woken.DesiredWorkers);
        Assert.True(woken.ChangesFleet);
    }

    [Fact]
    public void Decide_IdleWithMinOne_KeepsMin()
    {
        var decision = Decide(Plain(min: 1), new ScalingInput(T0, 3, 0));

        Assert.Equal(1, decision.DesiredWorkers);
    }

    [Fact]
    public void Constructor_MinAboveMax_ThrowsNamingMinWorkers()
    {
        var error = Assert.Throws<ArgumentException>(() => new HpaPolicy(new HpaPolicyOptions { MinWorkers = 5, MaxWorkers = 3 }));

        Assert.Equal(nameof(HpaPolicyOptions.MinWorkers), error.ParamName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    public void Constructor_TargetOutsideZeroToOne_ThrowsNamingTarget(double target)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new HpaPolicy(new HpaPolicyOptions { TargetUtilization = target }));

        Assert.Equal(nameof(HpaPolicyOptions.TargetUtilization), error.ParamName);
    }

    [Fact]
    public void Decide_OldHistory_IsForgotten()
    {
        // Entries older than the longest window (300 s) can no longer matter and are dropped.
        var policy = new HpaPolicy(new HpaPolicyOptions { TargetUtilization = 0.7 });
        var history = new ScalingHistory();
        history.RecordScaleEvent(T0, 1, 4);
        policy.Decide(new ScalingInput(T0, 4, 0.7), history);

        policy.Decide(new ScalingInput(T0 + TimeSpan.FromSeconds(301), 4, 0.7), history);

        Assert.Single(history.Recommendations);
        Assert.Empty(history.ScaleEvents);
    }

    [Fact]
    public void Decide_NegativeForecast_CountsAsZeroLoad()
    {
        // A falling trend extended past zero forecasts −0.3: taken as 0, ceil(4 × 0 / 0.7) = 0, raised to min 1.
        var decision = Decide(Plain(), new ScalingInput(T0, 4, 0.2, Forecast: -0.3));

        Assert.Equal(1, decision.DesiredWorkers);
    }

    [Fact]
    public void Decide_NaNSignal_ThrowsNamingSignal()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Decide(Plain(), new ScalingInput(T0, 4, double.NaN)));

        Assert.Equal(nameof(ScalingInput.Signal), error.ParamName);
    }
}
