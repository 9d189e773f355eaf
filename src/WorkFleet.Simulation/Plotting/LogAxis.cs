namespace WorkFleet.Simulation.Plotting;

/// <summary>A logarithmic axis from a power of ten to a power of ten, mapped to pixels.</summary>
internal sealed class LogAxis
{
    private readonly double _minExponent;
    private readonly double _maxExponent;
    private readonly double _left;
    private readonly double _right;

    private LogAxis(double minExponent, double maxExponent, double left, double right)
    {
        _minExponent = minExponent;
        _maxExponent = maxExponent;
        _left = left;
        _right = right;
    }

    /// <summary>The smallest whole-decade axis that shows <paramref name="min"/> to <paramref name="max"/> with a margin.</summary>
    public static LogAxis Covering(double min, double max, double left, double right)
    {
        var low = Math.Floor(Math.Log10(Math.Max(min, 1e-3) / 1.2));
        var high = Math.Ceiling(Math.Log10(Math.Max(max, 1e-3) * 1.2));
        return new LogAxis(low, Math.Max(high, low + 1), left, right);
    }

    public double X(double value) =>
        _left + ((Math.Log10(value) - _minExponent) / (_maxExponent - _minExponent) * (_right - _left));

    /// <summary>1, 2 and 5 times each power of ten on the axis.</summary>
    public IEnumerable<double> Ticks()
    {
        var decades = _maxExponent - _minExponent;
        for (var e = _minExponent; e <= _maxExponent; e++)
        {
            var decade = Math.Pow(10, e);
            yield return decade;
            if (e < _maxExponent && decades <= 4)
            {
                yield return 2 * decade;
                yield return 5 * decade;
            }
        }
    }
}
