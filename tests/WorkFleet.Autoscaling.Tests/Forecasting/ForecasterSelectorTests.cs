using WorkFleet.Autoscaling.Forecasting;
using WorkFleet.Autoscaling.Tests.Support;

namespace WorkFleet.Autoscaling.Tests.Forecasting;

public sealed class ForecasterSelectorTests
{
    private static readonly TimeSpan TenSeconds = TimeSpan.FromSeconds(10);
    private static readonly LinearTrendForecaster Linear = new();
    private static readonly HoltForecaster Holt = new(alpha: 0.5, beta: 0.3);

    [Fact]
    public void Select_ZigzagAroundLine_PicksLinear()
    {
        // Arrange: y = 2 × i ± 1 (alternating) for 36 samples. The least-squares line over 24 samples averages the
        // zigzag away, so its one-step error is about the noise (≈ 1). Holt with α = 0.5 moves its level half
        // way to every zig and feeds each ±2 swing into the trend, so it errs by more. Holt is listed first, so
        // linear wins on error, not on the tie rule. (Measured: linear 1.13, Holt 1.40.)
        var samples = Series.Of(36, TenSeconds, x => 0.2 * x + ((int)(x / 10) % 2 == 0 ? 1 : -1));
        var selector = new ForecasterSelector([Holt, Linear]);

        // Act
        var chosen = selector.Select(samples);

        // Assert
        Assert.Same(Linear, chosen);
        Assert.True(selector.BacktestError(Linear, samples) < selector.BacktestError(Holt, samples));
    }

    [Fact]
    public void Select_FlatThenRising_PicksHolt()
    {
        // Arrange: 24 samples flat at 10, then 12 rising by 5 per sample. Every back-tested forecast of the
        // rising part sees a 24-sample window still partly flat, so the fitted line is too shallow; Holt's
        // trend catches up within a few samples. (Measured: linear 15.9, Holt 2.9.)
        var samples = Series.Of(36, TenSeconds, x => x < 240 ? 10 : 10 + 5 * ((x - 230) / 10));
        var selector = new ForecasterSelector([Linear, Holt]);

        // Act
        var chosen = selector.Select(samples);

        // Assert
        Assert.Same(Holt, chosen);
        Assert.True(selector.BacktestError(Holt, samples) < selector.BacktestError(Linear, samples));
    }

    [Fact]
    public void Select_ExactLine_TieGoesToFirstCandidate()
    {
        // Both forecasters reproduce an exact line (Holt's start trend is already the line's step), so both
        // back-test errors are 0 and the earlier candidate is kept.
        var samples = Series.Of(12, TenSeconds, x => 3 + 0.5 * x);
        var selector = new ForecasterSelector([Linear, Holt]);

        Assert.Equal(0, selector.BacktestError(Holt, samples)!.Value, 9);
        Assert.Same(Linear, selector.Select(samples));
    }

    [Fact]
    public void BacktestError_HandComputed_IsMeanAbsoluteOneStepError()
    {
        // Arrange: y = 0, 1, 3 at 10 s spacing, two back-test points (samples 1 and 2).
        // Sample 1 from {0}: linear needs two samples, so it is skipped.
        // Sample 2 from {0, 1}: the line through them forecasts 2, the actual is 3: error 1. Mean = 1 / 1.
        var samples = Series.Evenly(TenSeconds, 0, 1, 3);
        var selector = new ForecasterSelector([Linear], backtestPoints: 2);

        var error = selector.BacktestError(Linear, samples);

        Assert.NotNull(error);
        Assert.Equal(1, error.Value, 9);
    }

    [Fact]
    public void Forecast_UsesChosenForecaster()
    {
        // On the exact line y = 3 + 0.5 × x (last sample at x = 110 s), 20 s ahead is 3 + 0.5 × 130 = 68.
        var samples = Series.Of(12, TenSeconds, x => 3 + 0.5 * x);

        var forecast = new ForecasterSelector([Linear, Holt]).Forecast(samples, TimeSpan.FromSeconds(20));

        Assert.NotNull(forecast);
        Assert.Equal(68, forecast.Value, 9);
    }
}
