namespace WorkFleet.Dashboard.Status;

/// <summary>One worker as this dispatcher sees it now.</summary>
/// <param name="Id">Worker id.</param>
/// <param name="Health"><c>live</c>, <c>suspect</c> (silent past the liveness timeout: no new tasks) or <c>draining</c>.</param>
/// <param name="Weight">Configured weight (relative speed).</param>
/// <param name="Capacity">Most tasks it holds at once.</param>
/// <param name="Load">Estimated load q (ledger + what only its heartbeat shows).</param>
/// <param name="ReportedLoad">Running + queued in its last heartbeat.</param>
/// <param name="EwmaTaskDurationMs">Smoothed run time of its tasks.</param>
/// <param name="LastHeartbeatAgeMs">Time since its last heartbeat.</param>
/// <param name="JobTypes">Job types it runs.</param>
/// <param name="Capabilities">Capabilities it offers.</param>
public sealed record WorkerStatus(
    string Id,
    string Health,
    double Weight,
    int Capacity,
    int Load,
    int ReportedLoad,
    double EwmaTaskDurationMs,
    double LastHeartbeatAgeMs,
    IReadOnlyList<string> JobTypes,
    IReadOnlyList<string> Capabilities);
