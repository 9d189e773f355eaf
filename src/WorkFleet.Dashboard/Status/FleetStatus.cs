namespace WorkFleet.Dashboard.Status;

/// <summary>The fleet's load as this dispatcher sees it (<c>fleet</c> in <c>GET /api/status</c>).</summary>
/// <param name="Capacity">Slots of the workers that take tasks (live, not draining).</param>
/// <param name="Running">Tasks those workers hold.</param>
/// <param name="Waiting">Tasks waiting at this dispatcher for a slot.</param>
/// <param name="Utilization">(running + waiting) / capacity, rounded to 3 places; null when no worker takes tasks.</param>
/// <param name="OldestWaitingAgeMs">How long the longest-waiting task has waited; null when none waits.</param>
/// <param name="ArrivalRate">Tasks accepted per second over the last 10 s, this dispatcher.</param>
/// <param name="CompletionRate">Task outcomes decided per second over the last 10 s, this dispatcher.</param>
/// <param name="ResourceLoadMean">Mean resource load (max of host CPU and memory) of the workers that take tasks; null when none reported one.</param>
/// <param name="ResourceLoadMax">Highest resource load among them; null when none reported one.</param>
public sealed record FleetStatus(
    int Capacity,
    int Running,
    int Waiting,
    double? Utilization,
    double? OldestWaitingAgeMs,
    double ArrivalRate,
    double CompletionRate,
    double? ResourceLoadMean,
    double? ResourceLoadMax);
