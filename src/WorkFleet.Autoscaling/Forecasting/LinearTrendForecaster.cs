namespace WorkFleet.Autoscaling.Forecasting;

/// <summary>
/// Fits an ordinary least-squares line through the last <see cref="Window"/> samples and extends it
/// to the horizon. Follows a steady ramp exactly; lags when the trend changes inside the window.
/// </summary>
public sealed class LinearTrendForecaster : IForecaster
{
    /// <summary>Configuration name.</summary>
    public const string ForecasterName = "linear";

    /// <summary>Default number of most recent samples the line is fitted to.</summary>
    public const int DefaultWindow = 24;

    /// <summary>Creates a forecaster over the last <paramref name="window"/> samples.</summary>
    /// <param name="window">Number of most recent samples to fit; at least 2.</param>
    public LinearTrendForecaster(int window = DefaultWindow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 2);
        Window = window;
    }

    /// <summary>Number of most recent samples the line is fitted to.</summary>
    public int Window { get; }

    /// <inheritdoc />
    public string Name => ForecasterName;

    /// <inheritdoc />
    public double? Forecast(IReadOnlyList<Sample> samples, TimeSpan horizon)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var trend = Fit(samples);
        return trend?.ValueAt(samples[^1].Time + horizon);
    }

    /// <summary>Fits the line to the last <see cref="Window"/> samples.</summary>
    /// <returns>The line, or <see langword="null"/> with fewer than two samples or when all share one time.</returns>
    public LinearTrend? Fit(IReadOnlyList<Sample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var window = SampleWindow.Last(samples, Window);
        if (window.Count < 2)
        {
            return null;
        }

        // Seconds since the window's first sample keep x small, so the sums lose no precision to
        // the size of a Unix timestamp.
        var origin = window[0].Time;
        double meanX = 0, meanY = 0;
        foreach (var sample in window)
        {
            meanX += (sample.Time - origin).TotalSeconds;
            meanY += sample.Value;
        }

        meanX /= window.Count;
        meanY /= window.Count;

        double covariance = 0, varianceX = 0;
        foreach (var sample in window)
        {
            var dx = (sample.Time - origin).TotalSeconds - meanX;
            covariance += dx * (sample.Value - meanY);
            varianceX += dx * dx;
        }

        if (varianceX <= 0)
        {
            return null;
        }

        var slope = covariance / varianceX;
        return new LinearTrend(origin, meanY - slope * meanX, slope);
    }
}
