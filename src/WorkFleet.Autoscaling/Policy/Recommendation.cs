namespace WorkFleet.Autoscaling.Policy;

/// <summary>A worker count a policy recommended, before stabilization and limits, and when.</summary>
/// <param name="At">When it was recommended.</param>
/// <param name="Workers">The recommended worker count.</param>
public readonly record struct Recommendation(DateTimeOffset At, int Workers);
