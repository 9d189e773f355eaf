namespace WorkFleet.Autoscaling.Policy;

/// <summary>Settings of <see cref="ThresholdPolicy"/>.</summary>
public sealed class ThresholdPolicyOptions
{
    /// <summary>Fewest workers; 0 allows scale to zero when idle. Default 1.</summary>
    public int MinWorkers { get; init; } = 1;

    /// <summary>Most workers. Default 10.</summary>
    public int MaxWorkers { get; init; } = 10;

    /// <summary>Scale up when the load, as a fraction of capacity, is above this. Default 0.8.</summary>
    public double ScaleUpAbove { get; init; } = 0.8;

    /// <summary>Scale down when the load, as a fraction of capacity, is below this. Default 0.2.</summary>
    public double ScaleDownBelow { get; init; } = 0.2;

    /// <summary>Workers added or removed by one decision. Default 1.</summary>
    public int Step { get; init; } = 1;

    /// <summary>Throws, naming the setting, when a value cannot work.</summary>
    public void Validate()
    {
        new WorkerBounds(MinWorkers, MaxWorkers).Validate(nameof(MinWorkers), nameof(MaxWorkers));
        if (!(ScaleDownBelow >= 0 && ScaleDownBelow < ScaleUpAbove))
        {
            throw new ArgumentOutOfRangeException(
                nameof(ScaleDownBelow), ScaleDownBelow, $"{nameof(ScaleDownBelow)} must be 0 or more and below {nameof(ScaleUpAbove)} ({ScaleUpAbove}).");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Step, 1, nameof(Step));
    }
}
