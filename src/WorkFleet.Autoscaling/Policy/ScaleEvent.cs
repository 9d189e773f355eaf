namespace WorkFleet.Autoscaling.Policy;

/// <summary>A change of fleet size that was carried out.</summary>
/// <param name="At">When the change was made.</param>
/// <param name="FromWorkers">Workers before.</param>
/// <param name="ToWorkers">Workers after.</param>
public readonly record struct ScaleEvent(DateTimeOffset At, int FromWorkers, int ToWorkers)
{
    /// <summary>Workers added (positive) or removed (negative).</summary>
    public int Change => ToWorkers - FromWorkers;
}
