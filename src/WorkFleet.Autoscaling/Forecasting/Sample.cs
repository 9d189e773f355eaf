namespace WorkFleet.Autoscaling.Forecasting;

/// <summary>One measurement of a signal (for example fleet utilization) at a point in time.</summary>
/// <param name="Time">When the value was measured.</param>
/// <param name="Value">The measured value.</param>
public readonly record struct Sample(DateTimeOffset Time, double Value);
