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

    /// <summary>The HPA rule on a least-squares linear trend of the load, start-up delay ahead.</summary>
    public const string PredictiveLinear = "predictive-linear";

    /// <summary>The HPA rule on Holt's double exponential smoothing of the load, start-up delay ahead.</summary>
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
        return name switch
        {
            StaticPeak => new StaticSizer(scenario.WorkersFor(scenario.Trace.MaxRate)),
            StaticMean => new StaticSizer(scenario.WorkersFor(scenario.Trace.MeanRate)),
            Reactive => new PolicySizer(new HpaPolicy(hpa), null, horizon, scenario.WorkerCapacity, initial),
            PredictiveLinear => new PolicySizer(new HpaPolicy(hpa), new LinearTrendForecaster(), horizon, scenario.WorkerCapacity, initial),
            PredictiveHolt => new PolicySizer(new HpaPolicy(hpa), new HoltForecaster(), horizon, scenario.WorkerCapacity, initial),
            Threshold => new PolicySizer(
                new ThresholdPolicy(new ThresholdPolicyOptions { MinWorkers = scenario.MinWorkers, MaxWorkers = scenario.MaxWorkers }),
                null,
                horizon,
                scenario.WorkerCapacity,
                initial),
            _ => throw new ArgumentException($"Unknown policy '{name}'; valid: {string.Join(", ", Names)}.", nameof(name)),
        };
    }
}
