namespace WorkFleet.Autoscaling.Forecasting;

/// <summary>Holt's smoothed level and trend after the last sample.</summary>
/// <param name="Level">Smoothed value at the last sample.</param>
/// <param name="TrendPerSample">Smoothed change per sample interval.</param>
/// <param name="MeanSpacing">Mean time between consecutive samples, which converts a horizon into sample intervals.</param>
public sealed record HoltState(double Level, double TrendPerSample, TimeSpan MeanSpacing)
{
    /// <summary>The forecast <paramref name="horizon"/> after the last sample: level + trend × (horizon / mean spacing).</summary>
    public double ValueAfter(TimeSpan horizon) => Level + TrendPerSample * (horizon / MeanSpacing);
}
