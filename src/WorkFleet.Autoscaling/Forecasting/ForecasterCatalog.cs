namespace WorkFleet.Autoscaling.Forecasting;

/// <summary>The forecasters an autoscaler (or the simulator) can be configured with, by name.</summary>
public static class ForecasterCatalog
{
    /// <summary>The default forecaster: whichever back-tests better on the recent samples.</summary>
    public const string Default = ForecasterSelector.ForecasterName;

    /// <summary>Accepted names.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        LinearTrendForecaster.ForecasterName,
        HoltForecaster.ForecasterName,
        ForecasterSelector.ForecasterName,
    ];

    /// <summary>Creates the named forecaster, or throws naming the valid names.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="window">Samples the linear trend is fitted to.</param>
    /// <param name="alpha">Holt's level smoothing factor.</param>
    /// <param name="beta">Holt's trend smoothing factor.</param>
    public static IForecaster Create(
        string name,
        int window = LinearTrendForecaster.DefaultWindow,
        double alpha = HoltForecaster.DefaultAlpha,
        double beta = HoltForecaster.DefaultBeta) => name switch
    {
        LinearTrendForecaster.ForecasterName => new LinearTrendForecaster(window),
        HoltForecaster.ForecasterName => new HoltForecaster(alpha, beta),
        ForecasterSelector.ForecasterName => new ForecasterSelector([new LinearTrendForecaster(window), new HoltForecaster(alpha, beta)]),
        _ => throw new ArgumentException($"Forecaster '{name}' is unknown; valid: {string.Join(", ", Names)}.", nameof(name)),
    };
}
