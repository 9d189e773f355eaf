namespace WorkFleet.Balancing.CostAware;

/// <summary>
/// A streaming estimate of the quantiles of expected task costs: a histogram of 8 buckets per doubling from
/// 1/1024 ms to 2^30 ms (so a quantile is known within about 9 %), whose counts are halved every
/// <see cref="HalfLife"/> observations so that it follows a workload that changes. O(1) to record, allocation-free.
/// </summary>
public sealed class CostQuantiles
{
    private const int BucketsPerDoubling = 8;
    private const int LowestExponent = -10;
    private const int Doublings = 40;

    private readonly double[] _counts = new double[BucketsPerDoubling * Doublings];
    private double _total;
    private long _sinceHalving;

    /// <summary>Observations after which every count is halved, ≥ 1. Default 10,000.</summary>
    public int HalfLife { get; init; } = 10_000;

    /// <summary>Observations recorded (before halving).</summary>
    public long Observations { get; private set; }

    /// <summary>Records an expected cost in ms; ignores values that are not positive and finite.</summary>
    public void Record(double costMs)
    {
        if (!double.IsFinite(costMs) || costMs <= 0)
        {
            return;
        }

        _counts[BucketOf(costMs)]++;
        _total++;
        Observations++;
        if (++_sinceHalving >= HalfLife)
        {
            _sinceHalving = 0;
            _total = 0;
            for (var i = 0; i < _counts.Length; i++)
            {
                _counts[i] /= 2;
                _total += _counts[i];
            }
        }
    }

    /// <summary>
    /// The upper edge of the bucket holding the <paramref name="q"/>-quantile, q in (0, 1); null before any
    /// observation.
    /// </summary>
    public double? Quantile(double q)
    {
        if (_total <= 0)
        {
            return null;
        }

        var above = (1 - q) * _total;
        var seen = 0.0;
        for (var i = _counts.Length - 1; i >= 0; i--)
        {
            seen += _counts[i];
            if (seen > above)
            {
                return UpperEdge(i);
            }
        }

        return UpperEdge(0);
    }

    private static int BucketOf(double costMs)
    {
        var position = (Math.Log2(costMs) - LowestExponent) * BucketsPerDoubling;
        return (int)Math.Clamp(Math.Floor(position), 0, (BucketsPerDoubling * Doublings) - 1);
    }

    private static double UpperEdge(int bucket) => Math.Pow(2, LowestExponent + ((bucket + 1.0) / BucketsPerDoubling));
}
