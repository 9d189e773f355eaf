using WorkFleet.Autoscaling.Forecasting;
using WorkFleet.Autoscaling.Policy;

namespace WorkFleet.Simulation.Autoscaling;

/// <summary>The fleet-sizing policies the autoscaling simulator compares, by name.</summary>
public static class AutoscalingPolicies
{
    /// <summary>A fixed fleet sized for the trace's highest rate at the target utilization.</summary>
    public const string StaticPeak = "static-peak";

    /// <summary>A fixed fleet sized for the trace's mean rate at the target utilization.</summary>
    public const string StaticMean = "static-mean";

    /// <summary>The HPA rule on the measured utilization.</summary>
    public const string Reactive = "reactive";

    /// <summary>The HPA rule on a least-squares linear trend of the load (demand: of the arrival rate), start-up delay (demand: plus one control period) ahead.</summary>
    public const string PredictiveLinear = "predictive-linear";

    /// <summary>The HPA rule on Holt's double exponential smoothing of the load (demand: of the arrival rate), start-up delay (demand: plus one control period) ahead.</summary>
    public const string PredictiveHolt = "predictive-holt";

    /// <summary>The threshold rule (above 0.8 add a worker, below 0.2 remove one) on the measured utilization.</summary>
    public const string Threshold = "threshold";

    /// <summary>Every policy, in report order.</summary>
    public static IReadOnlyList<string> Names { get; } = [StaticPeak, StaticMean, Reactive, PredictiveLinear, PredictiveHolt, Threshold];

    internal static IFleetSizer Create(string name, AutoscalingScenario scenario)
    {
        var initial = scenario.WorkersFor(scenario.Trace.RateAt(0));
        var horizon = TimeSpan.FromSeconds(scenario.StartupSeconds);
        var hpa = new HpaPolicyOptions
        {
            MinWorkers = scenario.MinWorkers,
            MaxWorkers = scenario.MaxWorkers,
            TargetUtilization = scenario.TargetUtilization,
            ScaleDownStabilization = TimeSpan.FromSeconds(scenario.ScaleDownWindowSeconds),
        };
        IFleetSizer Sized(IScalingPolicy policy, IForecaster? forecaster) => scenario.Signal == AutoscalingSignal.Demand
            ? new DemandSizer(policy, forecaster, horizon + TimeSpan.FromSeconds(scenario.ControlPeriodSeconds), scenario.WorkerCapacity, TimeSpan.FromSeconds(scenario.EffectiveBacklogDrainSeconds), initial)
            : new PolicySizer(policy, forecaster, horizon, scenario.WorkerCapacity, initial);
        var threshold = new ThresholdPolicyOptions { MinWorkers = scenario.MinWorkers, MaxWorkers = scenario.MaxWorkers };
        return name switch
        {
            StaticPeak => new StaticSizer(scenario.WorkersFor(scenario.Trace.MaxRate)),
            StaticMean => new StaticSizer(scenario.WorkersFor(scenario.Trace.MeanRate)),
            Reactive => Sized(new HpaPolicy(hpa), null),
            PredictiveLinear => Sized(new HpaPolicy(hpa), new LinearTrendForecaster()),
            PredictiveHolt => Sized(new HpaPolicy(hpa), new HoltForecaster(scenario.HoltAlpha, scenario.HoltBeta)),
            Threshold => Sized(new ThresholdPolicy(threshold), null),
            _ => throw new ArgumentException($"Unknown policy '{name}'; valid: {string.Join(", ", Names)}.", nameof(name)),
        };
    }
}
