using WorkFleet.Contracts;

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
/// <param name="HostCpuUtilization">Host CPU use 0..1 from its heartbeat; null when it sent none.</param>
/// <param name="HostMemoryUtilization">Host memory use 0..1 from its heartbeat; null when it sent none.</param>
/// <param name="ResourceLoad">max(host CPU, host memory), the resource-load scaling signal; null when it sent neither.</param>
/// <param name="Gpus">Its host's GPUs; null (not empty) where it has no GPU tool.</param>
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
    IReadOnlyList<string> Capabilities,
    double? HostCpuUtilization,
    double? HostMemoryUtilization,
    double? ResourceLoad,
    IReadOnlyList<GpuStatus>? Gpus);
