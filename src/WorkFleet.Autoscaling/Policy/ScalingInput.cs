namespace WorkFleet.Autoscaling.Policy;

/// <summary>What a scaling policy decides from: the fleet as measured at <see cref="Now"/>, and the forecast if any.</summary>
/// <param name="Now">The decision time; policies read no clock, so the caller's time (or a test's) is the only one.</param>
/// <param name="CurrentWorkers">Workers in the fleet now.</param>
/// <param name="Signal">Measured utilization: (running + waiting tasks) / total capacity; 0 with no workers.</param>
/// <param name="Forecast">Forecast utilization at the horizon; when present, policies scale on it instead of <paramref name="Signal"/>.</param>
/// <param name="WaitingTasks">Tasks waiting for a slot; any of them wakes a fleet scaled to zero.</param>
public sealed record ScalingInput(DateTimeOffset Now, int CurrentWorkers, double Signal, double? Forecast = null, int WaitingTasks = 0)
{
    /// <summary>
    /// The value policies compare with their targets: the forecast when there is one, else the measured signal.
    /// A trend extended past zero forecasts a negative load; it counts as 0.
    /// </summary>
    public double EffectiveSignal => Math.Max(0, Forecast ?? Signal);

    /// <summary>Nothing to do: no load measured, none forecast and no task waiting. Only then may a fleet scale to zero.</summary>
    public bool IsIdle => Signal <= 0 && (Forecast ?? 0) <= 0 && WaitingTasks == 0;

    /// <summary>Throws when a value cannot come from a real fleet (negative counts, a NaN or infinite signal).</summary>
    internal void EnsureValid()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(CurrentWorkers, nameof(CurrentWorkers));
        ArgumentOutOfRangeException.ThrowIfNegative(WaitingTasks, nameof(WaitingTasks));
        if (!double.IsFinite(Signal) || Signal < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Signal), Signal, "The signal must be a finite value of 0 or more.");
        }

        if (Forecast is { } forecast && !double.IsFinite(forecast))
        {
            throw new ArgumentOutOfRangeException(nameof(Forecast), forecast, "The forecast must be finite.");
        }
    }
}
