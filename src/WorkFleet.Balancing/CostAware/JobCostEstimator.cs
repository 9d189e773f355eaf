namespace WorkFleet.Balancing.CostAware;

/// <summary>
/// Learned expected cost per job type, for tasks submitted without a hint: each finished attempt contributes
/// its run time × its worker's weight (the cost in ms at weight 1). The estimate is the running mean of the first
/// <see cref="Window"/> observations, then an exponentially weighted mean with weight 1 / <see cref="Window"/>, so
/// it follows a job type whose cost drifts. Online, pure, not thread-safe.
/// </summary>
/// <remarks>
/// Observations may carry the task's payload size (any measure, e.g. characters of its JSON). Per job type the same
/// weighting then also fits cost = mean + slope × (size − mean size) by least squares; a task of known size gets that
/// line's value once the line explains enough of the cost's variance (<see cref="MinimumFit"/>), so an image twice
/// the size of the average of its type is expected to cost what the fleet measured for such images, not the type's
/// average. Where size says little (a fixed-size payload, or a cost that does not follow it) the mean is used.
/// </remarks>
public sealed class JobCostEstimator
{
    private readonly Dictionary<string, Estimate> _byType = new(StringComparer.Ordinal);

    /// <summary>Observations the mean spans (the EWMA's effective memory), ≥ 1. Default 100.</summary>
    public int Window { get; init; } = 100;

    /// <summary>Observations a job type needs before it has an estimate, ≥ 1. Default 3.</summary>
    public int MinimumObservations { get; init; } = 3;

    /// <summary>Observations with a payload size a job type needs before size is used, ≥ 2. Default 10.</summary>
    public int MinimumSizedObservations { get; init; } = 10;

    /// <summary>
    /// The share of the cost's variance the size line must explain (its r²) before it is used, in (0, 1]. Default
    /// 0.25: below that, size predicts little better than the mean and a stray large payload would mislead it.
    /// </summary>
    public double MinimumFit { get; init; } = 0.25;

    /// <summary>Job types with at least one observation.</summary>
    public IEnumerable<string> JobTypes => _byType.Keys;

    /// <summary>
    /// Records a finished attempt of <paramref name="jobType"/> that ran <paramref name="durationMs"/> on a worker of
    /// <paramref name="weight"/>, with its task's <paramref name="payloadSize"/> when known.
    /// </summary>
    public void Observe(string jobType, double durationMs, double weight, double? payloadSize = null)
    {
        ArgumentNullException.ThrowIfNull(jobType);
        if (!double.IsFinite(durationMs) || durationMs < 0 || !double.IsFinite(weight) || weight <= 0)
        {
            return;
        }

        var cost = durationMs * weight;
        _byType.TryGetValue(jobType, out var estimate);
        var count = estimate.Count + 1;
        var mean = estimate.MeanMs + (Step(count) * (cost - estimate.MeanMs));
        var sized = estimate.Sized;
        if (payloadSize is { } size && double.IsFinite(size) && size >= 0)
        {
            sized = sized.With(size, cost, Step(sized.Count + 1));
        }

        _byType[jobType] = new Estimate(count, mean, sized);
    }

    /// <summary>
    /// The expected cost (ms at weight 1) of a task of <paramref name="jobType"/>, of <paramref name="payloadSize"/>
    /// when known; null before <see cref="MinimumObservations"/>.
    /// </summary>
    public double? ExpectedCostMs(string jobType, double? payloadSize = null)
    {
        ArgumentNullException.ThrowIfNull(jobType);
        if (!_byType.TryGetValue(jobType, out var estimate) || estimate.Count < MinimumObservations)
        {
            return null;
        }

        return payloadSize is { } size && double.IsFinite(size) && SlopeOf(estimate.Sized) is { } slope
            ? Math.Max(estimate.Sized.MeanCost + (slope * (size - estimate.Sized.MeanSize)), estimate.MeanMs / 10)
            : estimate.MeanMs;
    }

    /// <summary>Milliseconds of cost per unit of payload size for a job type, or null while size is not used for it.</summary>
    public double? CostPerSizeUnit(string jobType)
    {
        ArgumentNullException.ThrowIfNull(jobType);
        return _byType.TryGetValue(jobType, out var estimate) && estimate.Count >= MinimumObservations ? SlopeOf(estimate.Sized) : null;
    }

    /// <summary>Observations recorded for a job type.</summary>
    public long Observations(string jobType) => _byType.TryGetValue(jobType, out var estimate) ? estimate.Count : 0;

    private double Step(long count) => 1.0 / Math.Min(count, Math.Max(1, Window));

    /// <summary>The size line's slope when it is positive and explains at least <see cref="MinimumFit"/>; otherwise null.</summary>
    private double? SlopeOf(SizeMoments sized)
    {
        if (sized.Count < Math.Max(2, MinimumSizedObservations))
        {
            return null;
        }

        var sizeVariance = sized.MeanSizeSquared - (sized.MeanSize * sized.MeanSize);
        var costVariance = sized.MeanCostSquared - (sized.MeanCost * sized.MeanCost);
        var covariance = sized.MeanSizeCost - (sized.MeanSize * sized.MeanCost);

        // Sizes that hardly vary (relative spread under 1 %) fit a line through noise.
        if (sizeVariance <= 1e-4 * sized.MeanSize * sized.MeanSize || costVariance <= 0 || covariance <= 0)
        {
            return null;
        }

        var fit = covariance * covariance / (sizeVariance * costVariance);
        return fit >= MinimumFit ? covariance / sizeVariance : null;
    }

    private readonly record struct Estimate(long Count, double MeanMs, SizeMoments Sized);

    /// <summary>Weighted means of size, cost and their squares and product, over the observations that had a size.</summary>
    private readonly record struct SizeMoments(long Count, double MeanSize, double MeanCost, double MeanSizeSquared, double MeanCostSquared, double MeanSizeCost)
    {
        public SizeMoments With(double size, double cost, double step) => new(
            Count + 1,
            MeanSize + (step * (size - MeanSize)),
            MeanCost + (step * (cost - MeanCost)),
            MeanSizeSquared + (step * ((size * size) - MeanSizeSquared)),
            MeanCostSquared + (step * ((cost * cost) - MeanCostSquared)),
            MeanSizeCost + (step * ((size * cost) - MeanSizeCost)));
    }
}
