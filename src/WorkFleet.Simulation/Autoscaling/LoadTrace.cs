namespace WorkFleet.Simulation.Autoscaling;

/// <summary>Arrival rate over time (tasks per second). Pure: the rate is a function of time only.</summary>
/// <param name="Shape">How the rate moves between <paramref name="BaseRate"/> and <paramref name="PeakRate"/>.</param>
/// <param name="BaseRate">Lowest rate, tasks per second.</param>
/// <param name="PeakRate">Highest rate, tasks per second.</param>
/// <param name="DurationSeconds">Arrivals happen in [0, duration).</param>
/// <param name="SpikeSeconds">Length of the spike of <see cref="LoadShape.Spike"/> and of each spike of <see cref="LoadShape.SineSpikes"/>.</param>
/// <param name="SpikeFactor">
/// For <see cref="LoadShape.SineSpikes"/>: when set, a spike multiplies the diurnal rate by this factor (a flash crowd of
/// the day's own users) instead of jumping to the peak rate; at least 1.
/// </param>
public sealed record LoadTrace(LoadShape Shape, double BaseRate, double PeakRate, double DurationSeconds, double SpikeSeconds = 60, double? SpikeFactor = null)
{
    /// <summary>Arrival rate at <paramref name="seconds"/> after the start; 0 outside the trace.</summary>
    public double RateAt(double seconds)
    {
        if (seconds < 0 || seconds >= DurationSeconds)
        {
            return 0;
        }

        var fraction = seconds / DurationSeconds;
        return Shape switch
        {
            LoadShape.Ramp => BaseRate + (PeakRate - BaseRate) * fraction,
            LoadShape.Sine => SineAt(fraction),
            LoadShape.Step => fraction < 1.0 / 3 ? BaseRate : PeakRate,
            LoadShape.Spike => InSpike(seconds, DurationSeconds / 2) ? PeakRate : BaseRate,
            LoadShape.SineSpikes => InSpike(seconds, DurationSeconds / 4) || InSpike(seconds, DurationSeconds * 3 / 4)
                ? SpikeFactor is { } factor ? factor * SineAt(fraction) : PeakRate
                : SineAt(fraction),
            _ => throw new InvalidOperationException($"Unknown load shape {Shape}."),
        };
    }

    private double SineAt(double fraction) => BaseRate + (PeakRate - BaseRate) * (1 - Math.Cos(2 * Math.PI * fraction)) / 2;

    private bool InSpike(double seconds, double start) => seconds >= start && seconds < start + SpikeSeconds;

    /// <summary>Highest rate the trace reaches (with spikes scaled by <see cref="SpikeFactor"/>, the highest point of a spike).</summary>
    public double MaxRate => Shape == LoadShape.SineSpikes && SpikeFactor is not null
        ? Math.Max(Math.Max(BaseRate, PeakRate), Math.Max(SpikeMax(DurationSeconds / 4), SpikeMax(DurationSeconds * 3 / 4)))
        : Math.Max(BaseRate, PeakRate);

    // A spike's rate follows the sine, which is monotone inside it: its highest point is at one of its ends.
    private double SpikeMax(double start) =>
        Math.Max(RateAt(start), RateAt(Math.Min(start + SpikeSeconds, DurationSeconds) - 1e-9));

    /// <summary>Mean rate over the trace, integrated numerically in 1000 steps.</summary>
    public double MeanRate
    {
        get
        {
            const int steps = 1000;
            double sum = 0;
            for (var i = 0; i < steps; i++)
            {
                sum += RateAt((i + 0.5) * DurationSeconds / steps);
            }

            return sum / steps;
        }
    }

    /// <summary>Throws, naming the value, when the trace cannot be simulated.</summary>
    public void Validate()
    {
        if (!(BaseRate >= 0 && double.IsFinite(BaseRate)))
        {
            throw new ArgumentOutOfRangeException(nameof(BaseRate), BaseRate, "The base rate must be 0 or more.");
        }

        if (!(PeakRate > 0 && double.IsFinite(PeakRate)))
        {
            throw new ArgumentOutOfRangeException(nameof(PeakRate), PeakRate, "The peak rate must be above 0.");
        }

        if (!(DurationSeconds > 0 && double.IsFinite(DurationSeconds)))
        {
            throw new ArgumentOutOfRangeException(nameof(DurationSeconds), DurationSeconds, "The duration must be above 0.");
        }

        if (!(SpikeSeconds > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(SpikeSeconds), SpikeSeconds, "The spike length must be above 0.");
        }

        if (SpikeFactor is { } factor && !(factor >= 1 && double.IsFinite(factor)))
        {
            throw new ArgumentOutOfRangeException(nameof(SpikeFactor), factor, "The spike factor must be 1 or more.");
        }
    }
}
