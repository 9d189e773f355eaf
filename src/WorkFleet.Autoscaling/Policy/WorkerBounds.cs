using System.Globalization;

namespace WorkFleet.Autoscaling.Policy;

/// <summary>
/// The min/max clamp every policy ends with, and scale to zero: with a minimum of 0 the fleet may reach
/// 0 only when idle, and a fleet at 0 wakes to at least one worker as soon as anything is waiting.
/// </summary>
internal readonly record struct WorkerBounds(int MinWorkers, int MaxWorkers)
{
    /// <summary>The worker count a fleet at zero wakes to.</summary>
    public int WakeWorkers => Math.Min(MaxWorkers, Math.Max(1, MinWorkers));

    /// <summary>Clamps <paramref name="desired"/> and appends the reason when the clamp changed it.</summary>
    public int Clamp(int desired, ScalingInput input, ref string reason)
    {
        if (desired > MaxWorkers)
        {
            reason += string.Create(CultureInfo.InvariantCulture, $", capped at {MaxWorkers} by max");
            return MaxWorkers;
        }

        var lowest = MinWorkers == 0 && !input.IsIdle ? 1 : MinWorkers;
        if (desired < lowest)
        {
            var why = MinWorkers == 0 ? "not idle" : "min";
            reason += string.Create(CultureInfo.InvariantCulture, $", raised to {lowest} by {why}");
            return lowest;
        }

        return desired;
    }

    /// <summary>The decision for a fleet at zero workers, or <see langword="null"/> when it has workers.</summary>
    public (int Desired, string Reason)? AtZero(ScalingInput input)
    {
        if (input.CurrentWorkers > 0)
        {
            return null;
        }

        if (input.IsIdle && MinWorkers == 0)
        {
            return (0, "idle at 0 workers: stays at 0");
        }

        return (WakeWorkers, string.Create(
            CultureInfo.InvariantCulture,
            $"{input.WaitingTasks} waiting, utilization {input.EffectiveSignal:0.00}: wakes 0 -> {WakeWorkers}"));
    }

    /// <summary>Throws when the bounds are not usable, naming the setting.</summary>
    public void Validate(string minName, string maxName)
    {
        if (MinWorkers < 0)
        {
            throw new ArgumentOutOfRangeException(minName, MinWorkers, $"{minName} must be 0 or more.");
        }

        if (MaxWorkers < 1)
        {
            throw new ArgumentOutOfRangeException(maxName, MaxWorkers, $"{maxName} must be 1 or more.");
        }

        if (MinWorkers > MaxWorkers)
        {
            throw new ArgumentException($"{minName} ({MinWorkers}) must not exceed {maxName} ({MaxWorkers}).", minName);
        }
    }
}
