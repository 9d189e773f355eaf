namespace WorkFleet.Autoscaling.Forecasting;

/// <summary>
/// The <c>auto</c> forecaster: back-tests every candidate on the recent samples and forecasts with the
/// one whose mean absolute one-step-ahead error is lowest. Pure; ties go to the earlier candidate.
/// </summary>
/// <remarks>
/// A one-step back-test at sample i forecasts sample i from the samples before it, with the horizon
/// equal to the time between sample i − 1 and sample i. The last <see cref="BacktestPoints"/> samples
/// are scored. A candidate that cannot forecast any of them (too few samples) ranks last.
/// </remarks>
public sealed class ForecasterSelector : IForecaster
{
    /// <summary>Configuration name.</summary>
    public const string ForecasterName = "auto";

    /// <summary>Default number of most recent samples each candidate is scored on.</summary>
    public const int DefaultBacktestPoints = 12;

    private readonly IForecaster[] _candidates;

    /// <summary>Creates a selector over <paramref name="candidates"/>, in order of preference on a tie.</summary>
    /// <param name="candidates">At least one forecaster.</param>
    /// <param name="backtestPoints">Number of most recent samples scored; at least 1.</param>
    public ForecasterSelector(IEnumerable<IForecaster> candidates, int backtestPoints = DefaultBacktestPoints)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        _candidates = [.. candidates];
        if (_candidates.Length == 0)
        {
            throw new ArgumentException("At least one candidate forecaster is needed.", nameof(candidates));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(backtestPoints, 1);
        BacktestPoints = backtestPoints;
    }

    /// <summary>Number of most recent samples each candidate is scored on.</summary>
    public int BacktestPoints { get; }

    /// <summary>The candidates, in order of preference on a tie.</summary>
    public IReadOnlyList<IForecaster> Candidates => _candidates;

    /// <inheritdoc />
    public string Name => ForecasterName;

    /// <inheritdoc />
    public double? Forecast(IReadOnlyList<Sample> samples, TimeSpan horizon) => Select(samples).Forecast(samples, horizon);

    /// <summary>The candidate with the lowest back-tested error on <paramref name="samples"/>.</summary>
    public IForecaster Select(IReadOnlyList<Sample> samples)
    {
        var best = _candidates[0];
        var bestError = BacktestError(best, samples) ?? double.PositiveInfinity;
        for (var i = 1; i < _candidates.Length; i++)
        {
            var error = BacktestError(_candidates[i], samples) ?? double.PositiveInfinity;
            if (error < bestError)
            {
                best = _candidates[i];
                bestError = error;
            }
        }

        return best;
    }

    /// <summary>Mean absolute one-step-ahead error of <paramref name="forecaster"/> over the last <see cref="BacktestPoints"/> samples.</summary>
    /// <returns>The error, or <see langword="null"/> when the forecaster could forecast none of them.</returns>
    public double? BacktestError(IForecaster forecaster, IReadOnlyList<Sample> samples)
    {
        ArgumentNullException.ThrowIfNull(forecaster);
        ArgumentNullException.ThrowIfNull(samples);
        var first = Math.Max(1, samples.Count - BacktestPoints);
        double totalError = 0;
        var scored = 0;
        for (var i = first; i < samples.Count; i++)
        {
            var history = SampleWindow.First(samples, i);
            var forecast = forecaster.Forecast(history, samples[i].Time - samples[i - 1].Time);
            if (forecast is { } value)
            {
                totalError += Math.Abs(value - samples[i].Value);
                scored++;
            }
        }

        return scored == 0 ? null : totalError / scored;
    }
}
