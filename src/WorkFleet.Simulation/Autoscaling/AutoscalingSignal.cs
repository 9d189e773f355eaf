namespace WorkFleet.Simulation.Autoscaling;

/// <summary>The load signal the autoscaled policies (reactive, predictive, threshold) scale on.</summary>
public enum AutoscalingSignal
{
    /// <summary>
    /// Demand (<see cref="WorkFleet.Autoscaling.Policy.DemandSignal"/>): measured arrival rate × measured mean run time,
    /// plus the slots that drain the waiting tasks within the SLO; predictive policies forecast the arrival rate.
    /// </summary>
    Demand,

    /// <summary>Fleet utilization, (running + waiting) / capacity; predictive policies forecast running + waiting.</summary>
    Utilization,
}
