namespace WorkFleet.Simulation.Autoscaling;

/// <summary>Arrival rate over time (tasks per second). Pure: the rate is a function of time only.</summary>
/// <param name="Shape">How the rate moves between <paramref name="BaseRate"/> and <paramref name="PeakRate"/>.</param>
/// <param name="BaseRate">Lowest rate, tasks per second.</param>
/// <param name="PeakRate">Highest rate, tasks per second.</param>
/// <param name="DurationSeconds">Arrivals happen in [0, duration).</param>
/// <param name="SpikeSeconds">Length of the spike of <see cref="LoadShape.Spike"/>.</param>
public sealed record LoadTrace(LoadShape Shape, double BaseRate, double PeakRate, double DurationSeconds, double SpikeSeconds = 60)
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
            LoadShape.Sine => BaseRate + (PeakRate - BaseRate) * (1 - Math.Cos(2 * Math.PI * fraction)) / 2,
            LoadShape.Step => fraction < 1.0 / 3 ? BaseRate : PeakRate,
            LoadShape.Spike => InSpike(seconds, DurationSeconds / 2) ? PeakRate : BaseRate,
            LoadShape.SineSpikes => InSpike(seconds, DurationSeconds / 4) || InSpike(seconds, DurationSeconds * 3 / 4)
                ? PeakRate
                : BaseRate + (PeakRate - BaseRate) * (1 - Math.Cos(2 * Math.PI * fraction)) / 2,
            _ => throw new InvalidOperationException($"Unknown load shape {Shape}."),
        };
    }

    private bool InSpike(double seconds, double start) => seconds >= start && seconds < start + SpikeSeconds;

    /// <summary>Highest rate the trace reaches.</summary>
    public double MaxRate => Math.Max(BaseRate, PeakRate);

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
    }
}
