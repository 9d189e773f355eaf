namespace WorkFleet.Dashboard.Status;

/// <summary>The body of <c>GET /api/status</c>: this dispatcher, its view of the fleet and the stored task counts.</summary>
/// <param name="DispatcherId">This dispatcher's id.</param>
/// <param name="Strategy">Its balancing strategy.</param>
/// <param name="Ready">Schema migrated and fleet view loaded: it consumes.</param>
/// <param name="StartedAt">When this dispatcher's HTTP side started.</param>
/// <param name="Now">When this report was made.</param>
/// <param name="WaitingTasks">Tasks holding a submit message while they wait for a slot.</param>
/// <param name="Fleet">The fleet's load: capacity, running and waiting tasks, utilization, the oldest wait.</param>
/// <param name="Workers">Workers in its view, by id.</param>
/// <param name="Totals">What it decided since it started.</param>
/// <param name="Tasks">Stored tasks per status (all dispatchers), or null when the store did not answer.</param>
/// <param name="TasksError">Why <paramref name="Tasks"/> is null.</param>
/// <param name="JobCosts">Learned cost per job type, by job type (see <see cref="JobCostStatus"/>); null from a dispatcher older than the field.</param>
public sealed record DispatcherStatus(
    string DispatcherId,
    string Strategy,
    bool Ready,
    DateTimeOffset StartedAt,
    DateTimeOffset Now,
    int WaitingTasks,
    FleetStatus Fleet,
    IReadOnlyList<WorkerStatus> Workers,
    DispatchTotals Totals,
    IReadOnlyDictionary<string, int>? Tasks,
    string? TasksError,
    IReadOnlyList<JobCostStatus>? JobCosts = null);
