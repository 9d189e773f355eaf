namespace WorkFleet.Autoscaling.Forecasting;

/// <summary>
/// Holt's double exponential smoothing: a level and a trend, each an exponentially weighted average,
/// so recent samples count most and a change of trend is followed within a few samples.
/// </summary>
/// <remarks>
/// <para>Initialisation: level₀ = y₀ and trend₀ = y₁ − y₀. Then for every later sample yᵢ:
/// levelᵢ = α·yᵢ + (1 − α)·(levelᵢ₋₁ + trendᵢ₋₁) and
/// trendᵢ = β·(levelᵢ − levelᵢ₋₁) + (1 − β)·trendᵢ₋₁.
/// With this start the second sample is reproduced exactly (level₁ = y₁, trend₁ = y₁ − y₀).</para>
/// <para>The trend is per sample interval; the forecast converts the horizon into intervals with the mean
/// spacing of the samples used, so samples should be roughly evenly spaced.</para>
/// </remarks>
public sealed class HoltForecaster : IForecaster
{
    /// <summary>Configuration name.</summary>
    public const string ForecasterName = "holt";

    /// <summary>Default level smoothing factor α.</summary>
    public const double DefaultAlpha = 0.5;

    /// <summary>Default trend smoothing factor β.</summary>
    public const double DefaultBeta = 0.3;

    /// <summary>Default number of most recent samples smoothed (older ones weigh almost nothing anyway).</summary>
    public const int DefaultWindow = 48;

    /// <summary>Creates a forecaster.</summary>
    /// <param name="alpha">Level smoothing factor in (0, 1]; higher follows the latest value more closely.</param>
    /// <param name="beta">Trend smoothing factor in (0, 1]; higher follows a change of trend sooner.</param>
    /// <param name="window">Number of most recent samples smoothed; at least 2.</param>
    public HoltForecaster(double alpha = DefaultAlpha, double beta = DefaultBeta, int window = DefaultWindow)
    {
        if (!(alpha > 0 && alpha <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Alpha must be in (0, 1].");
        }

        if (!(beta > 0 && beta <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "Beta must be in (0, 1].");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(window, 2);
        Alpha = alpha;
        Beta = beta;
        Window = window;
    }

    /// <summary>Level smoothing factor α.</summary>
    public double Alpha { get; }

    /// <summary>Trend smoothing factor β.</summary>
    public double Beta { get; }

    /// <summary>Number of most recent samples smoothed.</summary>
    public int Window { get; }

    /// <inheritdoc />
    public string Name => ForecasterName;

    /// <inheritdoc />
    public double? Forecast(IReadOnlyList<Sample> samples, TimeSpan horizon) => Smooth(samples)?.ValueAfter(horizon);

    /// <summary>Runs the smoothing over the last <see cref="Window"/> samples.</summary>
    /// <returns>Level and trend after the last sample, or <see langword="null"/> with fewer than two samples or no time between them.</returns>
    public HoltState? Smooth(IReadOnlyList<Sample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var window = SampleWindow.Last(samples, Window);
        if (window.Count < 2)
        {
            return null;
        }

        var meanSpacing = (window[^1].Time - window[0].Time) / (window.Count - 1);
        if (meanSpacing <= TimeSpan.Zero)
        {
            return null;
        }

        var level = window[0].Value;
        var trend = window[1].Value - window[0].Value;
        for (var i = 1; i < window.Count; i++)
        {
            var previousLevel = level;
            level = Alpha * window[i].Value + (1 - Alpha) * (previousLevel + trend);
            trend = Beta * (level - previousLevel) + (1 - Beta) * trend;
        }

        return new HoltState(level, trend, meanSpacing);
    }
}
