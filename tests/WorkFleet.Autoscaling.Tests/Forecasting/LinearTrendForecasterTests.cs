using WorkFleet.Autoscaling.Forecasting;
using WorkFleet.Autoscaling.Tests.Support;

namespace WorkFleet.Autoscaling.Tests.Forecasting;

public sealed class LinearTrendForecasterTests
{
    private static readonly TimeSpan TenSeconds = TimeSpan.FromSeconds(10);

    [Fact]
    public void Fit_ExactLine_RecoversSlopeAndIntercept()
    {
        // Arrange: y = 2 + 0.1 × x, x = 0, 10, ..., 90 seconds.
        var samples = Series.Of(10, TenSeconds, x => 2 + 0.1 * x);

        // Act
        var trend = new LinearTrendForecaster().Fit(samples);

        // Assert
        Assert.NotNull(trend);
        Assert.Equal(Series.Start, trend.Origin);
        Assert.Equal(2, trend.Intercept, 9);
        Assert.Equal(0.1, trend.SlopePerSecond, 9);
    }

    [Fact]
    public void Forecast_ExactLine_ExtendsLineToHorizon()
    {
        // Arrange: same line; the last sample is at x = 90 s, so a 30 s horizon reads the line at x = 120:
        // 2 + 0.1 × 120 = 14.
        var samples = Series.Of(10, TenSeconds, x => 2 + 0.1 * x);

        // Act
        var forecast = new LinearTrendForecaster().Forecast(samples, TimeSpan.FromSeconds(30));

        // Assert
        Assert.NotNull(forecast);
        Assert.Equal(14, forecast.Value, 9);
    }

    [Fact]
    public void Fit_MoreSamplesThanWindow_FitsOnlyTheLast24()
    {
        // Arrange: 30 samples of y = 2 + 0.1 × x for x < 60 s, then a different line. The default window of 24
        // starts at sample 6 (x = 60 s), where the later line y = 100 − 0.5 × x has the value 100 − 30 = 70.
        var samples = Series.Of(30, TenSeconds, x => x < 60 ? 2 + 0.1 * x : 100 - 0.5 * x);

        // Act
        var trend = new LinearTrendForecaster().Fit(samples);

        // Assert
        Assert.NotNull(trend);
        Assert.Equal(Series.Start + TimeSpan.FromSeconds(60), trend.Origin);
        Assert.Equal(70, trend.Intercept, 9);
        Assert.Equal(-0.5, trend.SlopePerSecond, 9);
    }

    [Fact]
    public void Fit_NoisyLine_RecoversSlopeAndInterceptWithinTolerance()
    {
        // Arrange: y = 5 + 0.2 × x + e, x = 0, 10, ..., 230 s (24 samples), noise e = +1, −1, +1, ... by sample.
        // Least squares by hand: x̄ = 115, Σ(x − x̄)² = 100 × n(n² − 1)/12 = 100 × 24 × 575 / 12 = 115000.
        // The noise pairs up as (+1 at x, −1 at x + 10), each pair adding −10 to Σ(x − x̄)e: 12 pairs give −120.
        // So the slope is 0.2 − 120/115000, and with ȳ = 5 + 0.2 × 115 = 28 (the noise sums to 0) the
        // intercept is ȳ − slope × x̄ = 5 + 115 × 120/115000 = 5.12.
        var samples = Series.Of(24, TenSeconds, x => 5 + 0.2 * x + ((int)(x / 10) % 2 == 0 ? 1 : -1));

        // Act
        var trend = new LinearTrendForecaster().Fit(samples);

        // Assert: the exact least-squares values, and within a tolerance of the true line.
        Assert.NotNull(trend);
        Assert.Equal(0.2 - 120.0 / 115000, trend.SlopePerSecond, 9);
        Assert.Equal(5.12, trend.Intercept, 9);
        Assert.InRange(trend.SlopePerSecond, 0.2 - 0.002, 0.2 + 0.002);
        Assert.InRange(trend.Intercept, 5 - 0.2, 5 + 0.2);
    }

    [Fact]
    public void Forecast_OneSample_ReturnsNull()
    {
        var samples = Series.Evenly(TenSeconds, 3.0);

        var forecast = new LinearTrendForecaster().Forecast(samples, TenSeconds);

        Assert.Null(forecast);
    }

    [Fact]
    public void Fit_AllSamplesAtOneTime_ReturnsNull()
    {
        // Arrange: no spread in time, so no slope can be estimated.
        var samples = Series.Evenly(TimeSpan.Zero, 1.0, 2.0, 3.0);

        var trend = new LinearTrendForecaster().Fit(samples);

        Assert.Null(trend);
    }
}
