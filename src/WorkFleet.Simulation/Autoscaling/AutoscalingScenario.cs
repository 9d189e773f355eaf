namespace WorkFleet.Simulation.Autoscaling;

/// <summary>Everything one autoscaling simulation depends on; the same scenario gives the same numbers.</summary>
public sealed record AutoscalingScenario
{
    /// <summary>Arrival rate over time. Default: one diurnal cycle from 10 to 40 tasks/s over an hour.</summary>
    public LoadTrace Trace { get; init; } = new(LoadShape.Sine, 10, 40, 3600);

    /// <summary>Mean task run time in seconds. Default 1.</summary>
    public double MeanCostSeconds { get; init; } = 1;

    /// <summary>Coefficient of variation of the lognormal run time (0: every task takes the mean). Default 1.</summary>
    public double CostCv { get; init; } = 1;

    /// <summary>Tasks one worker runs at once. Default 4.</summary>
    public int WorkerCapacity { get; init; } = 4;

    /// <summary>Seconds from a scale-up decision until the new worker takes tasks. Default 30.</summary>
    public double StartupSeconds { get; init; } = 30;

    /// <summary>Seconds between control-loop decisions. Default 15 (as the HPA).</summary>
    public double ControlPeriodSeconds { get; init; } = 15;

    /// <summary>A task waiting longer than this violates the SLO. Default 5 s.</summary>
    public double SloWaitSeconds { get; init; } = 5;

    /// <summary>
    /// Demand signal only: the backlog term asks for the slots that empty the waiting tasks within this many seconds.
    /// Default null: the wait SLO plus the start-up delay (workers asked for now take tasks only after the start-up).
    /// </summary>
    public double? BacklogDrainSeconds { get; init; }

    /// <summary>The backlog drain time in effect (see <see cref="BacklogDrainSeconds"/>).</summary>
    public double EffectiveBacklogDrainSeconds => BacklogDrainSeconds ?? SloWaitSeconds + StartupSeconds;

    /// <summary>Utilization the policies (and the static fleets' sizing) aim at. Default 0.7.</summary>
    public double TargetUtilization { get; init; } = 0.7;

    /// <summary>Scale-down stabilization window of the HPA-based policies, seconds. Default 300 (as the HPA).</summary>
    public double ScaleDownWindowSeconds { get; init; } = 300;

    /// <summary>The signal the reactive, predictive and threshold policies scale on. Default <see cref="AutoscalingSignal.Demand"/>.</summary>
    public AutoscalingSignal Signal { get; init; } = AutoscalingSignal.Demand;

    /// <summary>Level smoothing factor α of predictive-holt. Default <see cref="WorkFleet.Autoscaling.Forecasting.HoltForecaster.DefaultAlpha"/> (0.5).</summary>
    public double HoltAlpha { get; init; } = WorkFleet.Autoscaling.Forecasting.HoltForecaster.DefaultAlpha;

    /// <summary>Trend smoothing factor β of predictive-holt. Default <see cref="WorkFleet.Autoscaling.Forecasting.HoltForecaster.DefaultBeta"/> (0.3).</summary>
    public double HoltBeta { get; init; } = WorkFleet.Autoscaling.Forecasting.HoltForecaster.DefaultBeta;

    /// <summary>Fewest workers an autoscaled fleet has. Default 1.</summary>
    public int MinWorkers { get; init; } = 1;

    /// <summary>Most workers an autoscaled fleet has. Default 100.</summary>
    public int MaxWorkers { get; init; } = 100;

    /// <summary>Length of one simulation step in seconds; waits are measured to this resolution. Default 0.1.</summary>
    public double TickSeconds { get; init; } = 0.1;

    /// <summary>Random seed of arrivals and run times. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Workers needed to serve <paramref name="rate"/> tasks/s at the target utilization, within min/max.</summary>
    public int WorkersFor(double rate) =>
        Math.Clamp((int)Math.Ceiling(rate * MeanCostSeconds / (WorkerCapacity * TargetUtilization) - 1e-9), Math.Max(1, MinWorkers), MaxWorkers);

    /// <summary>Throws, naming the setting, when the scenario cannot be simulated.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Trace, nameof(Trace));
        Trace.Validate();
        RequirePositive(MeanCostSeconds, nameof(MeanCostSeconds));
        RequirePositive(TickSeconds, nameof(TickSeconds));
        RequirePositive(ControlPeriodSeconds, nameof(ControlPeriodSeconds));
        RequirePositive(SloWaitSeconds, nameof(SloWaitSeconds));
        RequireFraction(HoltAlpha, nameof(HoltAlpha));
        RequireFraction(HoltBeta, nameof(HoltBeta));
        if (BacklogDrainSeconds is { } drain)
        {
            RequirePositive(drain, nameof(BacklogDrainSeconds));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(CostCv, nameof(CostCv));
        ArgumentOutOfRangeException.ThrowIfNegative(StartupSeconds, nameof(StartupSeconds));
        ArgumentOutOfRangeException.ThrowIfNegative(ScaleDownWindowSeconds, nameof(ScaleDownWindowSeconds));
        ArgumentOutOfRangeException.ThrowIfLessThan(WorkerCapacity, 1, nameof(WorkerCapacity));
        ArgumentOutOfRangeException.ThrowIfNegative(MinWorkers, nameof(MinWorkers));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxWorkers, Math.Max(1, MinWorkers), nameof(MaxWorkers));
        if (!(TargetUtilization > 0 && TargetUtilization <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(TargetUtilization), TargetUtilization, "The target utilization must be in (0, 1].");
        }
    }

    private static void RequireFraction(double value, string name)
    {
        if (!(value > 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in (0, 1].");
        }
    }

    private static void RequirePositive(double value, string name)
    {
        if (!(value > 0 && double.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be above 0.");
        }
    }
}
