namespace WorkFleet.Dashboard.Status;

/// <summary>The fleet's load as this dispatcher sees it (<c>fleet</c> in <c>GET /api/status</c>).</summary>
/// <param name="Capacity">Slots of the workers that take tasks (live, not draining).</param>
/// <param name="Running">Tasks those workers hold.</param>
/// <param name="Waiting">Tasks waiting at this dispatcher for a slot.</param>
/// <param name="Utilization">(running + waiting) / capacity, rounded to 3 places; null when no worker takes tasks.</param>
/// <param name="OldestWaitingAgeMs">How long the longest-waiting task has waited; null when none waits.</param>
public sealed record FleetStatus(int Capacity, int Running, int Waiting, double? Utilization, double? OldestWaitingAgeMs);
