namespace WorkFleet.Autoscaling.Forecasting;

/// <summary>Predicts the value of a signal some time after its last sample. Implementations are pure.</summary>
public interface IForecaster
{
    /// <summary>Configuration name (for example <c>linear</c>, <c>holt</c>, <c>auto</c>).</summary>
    string Name { get; }

    /// <summary>Forecasts the value <paramref name="horizon"/> after the last sample.</summary>
    /// <param name="samples">Samples in ascending time order.</param>
    /// <param name="horizon">How far after the last sample's time to forecast.</param>
    /// <returns>The forecast, or <see langword="null"/> when there are too few samples to forecast from.</returns>
    double? Forecast(IReadOnlyList<Sample> samples, TimeSpan horizon);
}
