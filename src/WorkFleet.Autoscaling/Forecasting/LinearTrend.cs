namespace WorkFleet.Autoscaling.Forecasting;

/// <summary>A fitted straight line: <c>value(t) = Intercept + SlopePerSecond × (t − Origin)</c>.</summary>
/// <param name="Origin">The time the intercept refers to (the first sample of the fitted window).</param>
/// <param name="Intercept">The line's value at <paramref name="Origin"/>.</param>
/// <param name="SlopePerSecond">Change of the value per second.</param>
public sealed record LinearTrend(DateTimeOffset Origin, double Intercept, double SlopePerSecond)
{
    /// <summary>The line's value at <paramref name="time"/>.</summary>
    public double ValueAt(DateTimeOffset time) => Intercept + SlopePerSecond * (time - Origin).TotalSeconds;
}
