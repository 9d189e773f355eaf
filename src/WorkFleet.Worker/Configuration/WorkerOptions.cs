namespace WorkFleet.Worker.Configuration;

/// <summary>Worker settings. Section <c>WorkFleet:Worker</c>.</summary>
public sealed class WorkerOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "WorkFleet:Worker";

    /// <summary>
    /// Unique id; its queue is <c>workfleet.worker.&lt;id&gt;</c>. Default: host name + random suffix, so
    /// replicas scaled by compose (each its own host name) and restarts never share an id.
    /// </summary>
    public string? WorkerId { get; set; }

    /// <summary>Relative speed (&gt; 0) the dispatcher balances by. Default 1.</summary>
    public double Weight { get; set; } = 1;

    /// <summary>Maximum concurrent tasks (1..1024). Default 4.</summary>
    public int Capacity { get; set; } = 4;

    /// <summary>How often the worker reports its load. Default 1 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A task still running this long after it arrived is reported started (<c>TaskStarted</c>, the store shows
    /// it Running); a task that finishes sooner is reported by its result alone, which saves a message and a store
    /// write per short task. 0 reports every task as it starts. Default 1 s.
    /// </summary>
    public TimeSpan StartedReportDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Execution limit for a task that sets none. Default 5 min.</summary>
    public TimeSpan DefaultTaskTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// On SIGTERM, how long the worker keeps finishing what it holds (announcing Draining, receiving
    /// nothing new) before it stops; what is left then is dispatched elsewhere. Default 25 s (compose's
    /// stop_grace_period is 30 s).
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// Largest result the worker sends, in bytes of the UTF-8 JSON its handler produced (&gt; 0). A task whose result
    /// is larger fails with error kind <c>result-too-large</c> and is not retried; the result is dropped. The dispatcher
    /// stores results and sends them to producers, so this bounds what one small input can make them hold (1,024 empty
    /// texts tokenized to 4,096 tokens each are ~46 MB). Default 4 MiB (4,194,304 bytes): a 3 x 224 x 224 tensor from
    /// <c>preprocess.resize</c> is about 1.7 MB.
    /// </summary>
    public int MaxResultBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Most results one message to the dispatcher carries (1..64): results that finish while the worker's previous
    /// result is being sent go together in one <c>TaskResultBatch</c>. 1 sends every result alone as
    /// <c>TaskCompleted</c>/<c>TaskFailed</c>, as workers did before batches (a dispatcher that predates
    /// <c>TaskResultBatch</c> cannot read a batch: upgrade the dispatchers first, or set 1 meanwhile). Default 64.
    /// </summary>
    public int MaxResultsPerMessage { get; set; } = 64;

    /// <summary>
    /// Register, advertise and run the diagnostic job types (<c>diagnostics.flaky</c>, <c>diagnostics.sleep</c>): tools
    /// for tests and operators that let anyone who can submit hold slots or make failures on purpose. Off, a task of
    /// such a type sent here is refused as <c>unknown-job-type</c> like any type the worker does not advertise.
    /// Default false.
    /// </summary>
    public bool EnableDiagnosticJobs { get; set; }

    /// <summary>Capabilities offered to tasks that require them (e.g. <c>gpu</c>). Default none.</summary>
    public List<string> Capabilities { get; set; } = [];

    /// <summary>
    /// Job types to advertise; empty means every registered handler. Either way a job type whose handler
    /// declares a capability this worker lacks (<c>[JobRequirements]</c>) is left out, with a warning. Default empty.
    /// </summary>
    public List<string> JobTypes { get; set; } = [];

    /// <summary>
    /// Dynamic batching per job type, e.g. <c>WorkFleet:Worker:Batching:inference.mlp:MaxBatchSize = 8</c>.
    /// Job types not listed run one task at a time. Default empty.
    /// </summary>
    public Dictionary<string, BatchingOptions> Batching { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How long the broker may be reachable while this worker's queue has no consumer before the worker stops
    /// with exit code 75 to be restarted by its supervisor (its receive endpoint did not recover from a lost
    /// connection; its tasks are then dispatched elsewhere or wait in its durable queue). Default 60 s.
    /// </summary>
    public TimeSpan EndpointRecoveryTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Where the worker answers <c>GET /healthz</c> for a readiness probe: 200 while it runs and is not draining, 503
    /// otherwise (starting, draining, stopping). Semicolon-separated URLs, e.g. <c>http://0.0.0.0:8081</c>; port 0 takes
    /// a free port. Default none: no HTTP listener. With several workers in one process the first one that sets it
    /// serves the endpoint for all of them.
    /// </summary>
    public string? HealthUrls { get; set; }

    /// <summary>Resolves the id (generating one when unset).</summary>
    public string ResolveWorkerId() =>
        string.IsNullOrWhiteSpace(WorkerId)
            ? $"{Environment.MachineName.ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..6]}"
            : WorkerId;
}
