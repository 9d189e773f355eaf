using WorkFleet.Autoscaling.Forecasting;
using WorkFleet.Autoscaling.Tests.Support;

namespace WorkFleet.Autoscaling.Tests.Forecasting;

public sealed class HoltForecasterTests
{
    private static readonly TimeSpan OneMinute = TimeSpan.FromMinutes(1);

    // y = 10, 12, 15, 15, 20 one minute apart, α = 0.5, β = 0.3. By hand, with level₀ = 10, trend₀ = 12 − 10 = 2:
    //   i = 1: level = .5·12 + .5·(10 + 2)         = 12        trend = .3·(12 − 10)        + .7·2      = 2
    //   i = 2: level = .5·15 + .5·(12 + 2)         = 14.5      trend = .3·(14.5 − 12)      + .7·2      = 2.15
    //   i = 3: level = .5·15 + .5·(14.5 + 2.15)    = 15.825    trend = .3·(15.825 − 14.5)  + .7·2.15   = 1.9025
    //   i = 4: level = .5·20 + .5·(15.825 + 1.9025) = 18.86375 trend = .3·(18.86375 − 15.825) + .7·1.9025 = 2.243375
    private static readonly Sample[] Samples = Series.Evenly(OneMinute, 10, 12, 15, 15, 20);

    [Theory]
    [InlineData(2, 12, 2)]
    [InlineData(3, 14.5, 2.15)]
    [InlineData(4, 15.825, 1.9025)]
    [InlineData(5, 18.86375, 2.243375)]
    public void Smooth_HandComputedSequence_MatchesLevelAndTrend(int sampleCount, double level, double trend)
    {
        // Act
        var state = new HoltForecaster(alpha: 0.5, beta: 0.3).Smooth(Samples[..sampleCount]);

        // Assert
        Assert.NotNull(state);
        Assert.Equal(level, state.Level, 9);
        Assert.Equal(trend, state.TrendPerSample, 9);
        Assert.Equal(OneMinute, state.MeanSpacing);
    }

    [Fact]
    public void Forecast_TwoIntervalsAhead_AddsTwoTrends()
    {
        // 120 s is two one-minute intervals: 18.86375 + 2 × 2.243375 = 23.3505.
        var forecast = new HoltForecaster(alpha: 0.5, beta: 0.3).Forecast(Samples, TimeSpan.FromSeconds(120));

        Assert.NotNull(forecast);
        Assert.Equal(23.3505, forecast.Value, 9);
    }

    [Fact]
    public void Forecast_HorizonBetweenSamples_ScalesTrendByMeanSpacing()
    {
        // 90 s is 1.5 intervals: 18.86375 + 1.5 × 2.243375 = 22.2288125.
        var forecast = new HoltForecaster(alpha: 0.5, beta: 0.3).Forecast(Samples, TimeSpan.FromSeconds(90));

        Assert.NotNull(forecast);
        Assert.Equal(22.2288125, forecast.Value, 9);
    }

    [Fact]
    public void Forecast_OneSample_ReturnsNull()
    {
        var forecast = new HoltForecaster().Forecast(Samples[..1], OneMinute);

        Assert.Null(forecast);
    }

    [Theory]
    [InlineData(0.0, 0.3, "alpha")]
    [InlineData(1.5, 0.3, "alpha")]
    [InlineData(0.5, 0.0, "beta")]
    public void Constructor_FactorOutsideZeroToOne_ThrowsNamingIt(double alpha, double beta, string name)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new HoltForecaster(alpha, beta));

        Assert.Equal(name, error.ParamName);
    }
}
