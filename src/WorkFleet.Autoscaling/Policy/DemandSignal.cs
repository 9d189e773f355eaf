namespace WorkFleet.Autoscaling.Policy;

/// <summary>
/// The demand signal: the task slots the fleet needs, from the arrival rate rather than from the tasks it holds.
/// </summary>
/// <remarks>
/// <para>slots = arrival rate × mean run time + waiting × mean run time / drain time.
/// The first term is Little's law: in steady state that many tasks run at once. The second is the extra slots that
/// empty the current backlog within <c>drain time</c> (the wait SLO is the natural choice): the backlog is work to
/// do once, not a lasting rate.</para>
/// <para>Why not (running + waiting) / capacity: waiting tasks are counted as if each needed a slot for good, so
/// after a spike the rule asks for a worker per few waiting tasks and overshoots (36–80 workers where 15
/// suffice in the simulator), and the queue's length says nothing about whether load is rising. The arrival rate
/// is what a forecaster can extend: forecast the rate, then turn it into slots here.</para>
/// <para>Pure: the caller measures the rate (tasks accepted per second over its last period), the mean run
/// time of recently completed tasks, and the waiting count.</para>
/// </remarks>
public static class DemandSignal
{
    /// <summary>Task slots the fleet needs: <c>rate × mean run + waiting × mean run / drain</c>.</summary>
    /// <param name="arrivalRatePerSecond">Tasks arriving per second (measured, or forecast at the horizon); 0 or more.</param>
    /// <param name="meanRunSeconds">Mean run time of a task, seconds; 0 or more.</param>
    /// <param name="waitingTasks">Tasks waiting for a slot now; 0 or more.</param>
    /// <param name="drainWithin">Time in which the backlog should be emptied (for example the wait SLO); above zero.</param>
    /// <returns>The slots needed, 0 or more.</returns>
    public static double Slots(double arrivalRatePerSecond, double meanRunSeconds, int waitingTasks, TimeSpan drainWithin)
    {
        RequireNotNegative(arrivalRatePerSecond, nameof(arrivalRatePerSecond));
        RequireNotNegative(meanRunSeconds, nameof(meanRunSeconds));
        ArgumentOutOfRangeException.ThrowIfNegative(waitingTasks);
        if (drainWithin <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(drainWithin), drainWithin, "The drain time must be above zero.");
        }

        return (arrivalRatePerSecond + waitingTasks / drainWithin.TotalSeconds) * meanRunSeconds;
    }

    /// <summary>
    /// <paramref name="slots"/> as a utilization of the current fleet, the value <see cref="ScalingInput.Signal"/> and
    /// <see cref="ScalingInput.Forecast"/> carry: slots / (workers × slots per worker). With this signal
    /// <see cref="HpaPolicy"/>'s ceil(current × signal / target) is ceil(slots / (slots per worker × target)).
    /// </summary>
    /// <param name="slots">Slots needed (from <see cref="Slots"/>); 0 or more.</param>
    /// <param name="currentWorkers">Workers in the fleet; with 0 the demand is measured against one worker, so any demand is above 0 and wakes the fleet.</param>
    /// <param name="slotsPerWorker">Tasks one worker runs at once (a fleet's average may be fractional); above 0.</param>
    public static double Utilization(double slots, int currentWorkers, double slotsPerWorker)
    {
        RequireNotNegative(slots, nameof(slots));
        ArgumentOutOfRangeException.ThrowIfNegative(currentWorkers);
        if (!(slotsPerWorker > 0 && double.IsFinite(slotsPerWorker)))
        {
            throw new ArgumentOutOfRangeException(nameof(slotsPerWorker), slotsPerWorker, $"{nameof(slotsPerWorker)} must be above 0.");
        }

        return slots / (Math.Max(1, currentWorkers) * slotsPerWorker);
    }

    private static void RequireNotNegative(double value, string name)
    {
        if (!(value >= 0 && double.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite value of 0 or more.");
        }
    }
}
