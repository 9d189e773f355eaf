namespace WorkFleet.Balancing.CostAware;

/// <summary>
/// Learned expected cost per job type, for tasks submitted without a hint: each finished attempt contributes
/// its run time × its worker's weight (the cost in ms at weight 1). The estimate is the running mean of the first
/// <see cref="Window"/> observations, then an exponentially weighted mean with weight 1 / <see cref="Window"/>, so
/// it follows a job type whose cost drifts. Online, pure, not thread-safe.
/// </summary>
public sealed class JobCostEstimator
{
    private readonly Dictionary<string, Estimate> _byType = new(StringComparer.Ordinal);

    /// <summary>Observations the mean spans (the EWMA's effective memory), ≥ 1. Default 100.</summary>
    public int Window { get; init; } = 100;

    /// <summary>Observations a job type needs before it has an estimate, ≥ 1. Default 3.</summary>
    public int MinimumObservations { get; init; } = 3;

    /// <summary>Job types with at least one observation.</summary>
    public IEnumerable<string> JobTypes => _byType.Keys;

    /// <summary>Records a finished attempt of <paramref name="jobType"/> that ran <paramref name="durationMs"/> on a worker of <paramref name="weight"/>.</summary>
    public void Observe(string jobType, double durationMs, double weight)
    {
        ArgumentNullException.ThrowIfNull(jobType);
        if (!double.IsFinite(durationMs) || durationMs < 0 || !double.IsFinite(weight) || weight <= 0)
        {
            return;
        }

        var cost = durationMs * weight;
        if (!_byType.TryGetValue(jobType, out var estimate))
        {
            _byType[jobType] = new Estimate(1, cost);
            return;
        }

        var count = estimate.Count + 1;
        var step = 1.0 / Math.Min(count, Math.Max(1, Window));
        _byType[jobType] = new Estimate(count, estimate.MeanMs + (step * (cost - estimate.MeanMs)));
    }

    /// <summary>The expected cost (ms at weight 1) of a job type, or null before <see cref="MinimumObservations"/>.</summary>
    public double? ExpectedCostMs(string jobType)
    {
        ArgumentNullException.ThrowIfNull(jobType);
        return _byType.TryGetValue(jobType, out var estimate) && estimate.Count >= MinimumObservations ? estimate.MeanMs : null;
    }

    /// <summary>Observations recorded for a job type.</summary>
    public long Observations(string jobType) => _byType.TryGetValue(jobType, out var estimate) ? estimate.Count : 0;

    private readonly record struct Estimate(long Count, double MeanMs);
}
