namespace WorkFleet.Autoscaling.Policy;

/// <summary>Settings of <see cref="HpaPolicy"/>; defaults follow the Kubernetes HorizontalPodAutoscaler where it has one.</summary>
public sealed class HpaPolicyOptions
{
    /// <summary>Fewest workers; 0 allows scale to zero when idle. Default 1.</summary>
    public int MinWorkers { get; init; } = 1;

    /// <summary>Most workers. Default 10.</summary>
    public int MaxWorkers { get; init; } = 10;

    /// <summary>Utilization the policy steers to, in (0, 1]. Default 0.7.</summary>
    public double TargetUtilization { get; init; } = 0.7;

    /// <summary>No change while |signal / target − 1| is at most this (a fraction). Default 0.1, as HPA.</summary>
    public double Tolerance { get; init; } = 0.1;

    /// <summary>A scale-up goes only as high as the lowest recommendation in this window. Default 0 s, as HPA.</summary>
    public TimeSpan ScaleUpStabilization { get; init; } = TimeSpan.Zero;

    /// <summary>A scale-down goes only as low as the highest recommendation in this window. Default 300 s, as HPA.</summary>
    public TimeSpan ScaleDownStabilization { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Period the scale-up limits count over. Default 15 s, as HPA.</summary>
    public TimeSpan ScaleUpPeriod { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>At most this many workers added per <see cref="ScaleUpPeriod"/>; null for no such limit. Default 4, as HPA.</summary>
    public int? ScaleUpMaxWorkers { get; init; } = 4;

    /// <summary>At most this percentage of the period's starting workers added per <see cref="ScaleUpPeriod"/>; null for no such limit. Default 100, as HPA.</summary>
    /// <remarks>When both scale-up limits are set, the one allowing more workers applies (HPA's <c>selectPolicy: Max</c>).</remarks>
    public double? ScaleUpMaxPercent { get; init; } = 100;

    /// <summary>Period the scale-down limit counts over. Default 15 s.</summary>
    public TimeSpan ScaleDownPeriod { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>At most this many workers removed per <see cref="ScaleDownPeriod"/>; null (the default) for no limit.</summary>
    public int? ScaleDownMaxWorkers { get; init; }

    /// <summary>Throws, naming the setting, when a value cannot work.</summary>
    public void Validate()
    {
        new WorkerBounds(MinWorkers, MaxWorkers).Validate(nameof(MinWorkers), nameof(MaxWorkers));
        if (!(TargetUtilization > 0 && TargetUtilization <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(TargetUtilization), TargetUtilization, $"{nameof(TargetUtilization)} must be in (0, 1].");
        }

        if (!(Tolerance >= 0 && Tolerance < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, $"{nameof(Tolerance)} must be in [0, 1).");
        }

        RequireNotNegative(ScaleUpStabilization, nameof(ScaleUpStabilization));
        RequireNotNegative(ScaleDownStabilization, nameof(ScaleDownStabilization));
        RequirePositive(ScaleUpPeriod, nameof(ScaleUpPeriod));
        RequirePositive(ScaleDownPeriod, nameof(ScaleDownPeriod));
        if (ScaleUpMaxWorkers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ScaleUpMaxWorkers), ScaleUpMaxWorkers, $"{nameof(ScaleUpMaxWorkers)} must be 1 or more (or unset).");
        }

        if (ScaleUpMaxPercent <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ScaleUpMaxPercent), ScaleUpMaxPercent, $"{nameof(ScaleUpMaxPercent)} must be above 0 (or unset).");
        }

        if (ScaleDownMaxWorkers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ScaleDownMaxWorkers), ScaleDownMaxWorkers, $"{nameof(ScaleDownMaxWorkers)} must be 1 or more (or unset).");
        }
    }

    private static void RequireNotNegative(TimeSpan value, string name)
    {
        if (value < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must not be negative.");
        }
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be above zero.");
        }
    }
}
