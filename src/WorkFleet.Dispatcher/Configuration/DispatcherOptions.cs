using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dispatcher.Configuration;

/// <summary>Dispatcher settings. Section <c>WorkFleet:Dispatcher</c>.</summary>
public sealed class DispatcherOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "WorkFleet:Dispatcher";

    /// <summary>This dispatcher's id, used in its heartbeat queue name. Default: machine name + random suffix.</summary>
    public string DispatcherId { get; set; } = $"{Environment.MachineName.ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>
    /// Balancing strategy (see StrategyCatalog.Names), or <c>cost-aware</c>: waiting tasks shortest expected cost first
    /// with aging (<see cref="CostAgingFactor"/>, <see cref="CostMaxHeadStart"/>), each placed where it is expected to
    /// finish soonest. Default <c>fastest-free-slot</c>.
    /// </summary>
    public string Strategy { get; set; } = WorkFleet.Balancing.Strategies.StrategyCatalog.Default;

    /// <summary>
    /// Cost-aware only: A, &gt; 0. A task of expected cost c (ms at weight 1) may be passed by shorter tasks and held for a
    /// faster worker for at most min(A × c, <see cref="CostMaxHeadStart"/>) after it arrived; from then on it takes the
    /// first slot its place in line gives it. Default 1.
    /// </summary>
    public double CostAgingFactor { get; set; } = 1;

    /// <summary>Cost-aware only: H, the longest head start shorter tasks get over any task, whatever its cost. Default 5 s.</summary>
    public TimeSpan CostMaxHeadStart { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Short-task prefetch: when no worker has a free slot, a worker whose recent tasks took at most
    /// <see cref="PrefetchMaxTaskDuration"/> on average (its heartbeat's mean) may hold this many more attempts per
    /// slot, waiting in its own process for a run slot, so its slots do not idle for the dispatcher's round trip between
    /// two short tasks (what a Celery worker's prefetch does). It never runs more than its capacity at once, but a
    /// prefetched task is bound to its worker before a slot frees there. 0..16; the cost-aware strategy never
    /// prefetches. Default 0: off, every attempt is bound to a worker only when one of its slots frees (late binding).
    /// 1 is worth it for fleets of tasks of a few ms (README, "Throughput benchmark").
    /// </summary>
    public int PrefetchPerSlot { get; set; }

    /// <summary>Longest mean task duration of a worker that still gets prefetched attempts (see <see cref="PrefetchPerSlot"/>). Default 20 ms.</summary>
    public TimeSpan PrefetchMaxTaskDuration { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// A worker whose last heartbeat is older than this is Suspect: it receives no new tasks (its held
    /// tasks stay with it). Default 3 s (three missed heartbeats at the default 1 s interval).
    /// </summary>
    public TimeSpan LivenessTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// A worker silent for longer than this is Lost: its unfinished attempts are dispatched again to other
    /// workers and its queue is deleted. Default 10 s.
    /// </summary>
    public TimeSpan LostTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts a task gets before a retryable failure becomes final. Default 5.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Backoff before retry n is base × 2^(n−1), with ±25 % jitter, capped at <see cref="RetryMaxDelay"/>. Default 500 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest backoff between two attempts. Default 30 s.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// After start, how long a task whose job type no live worker supports waits for such a worker to
    /// appear before it fails with <c>no-capable-worker</c>. Default 10 s.
    /// </summary>
    public TimeSpan UnsupportedJobGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Submit messages held at once (RabbitMQ prefetch), and submitted tasks handled at once however they came, one per
    /// message or many in a <c>SubmitTaskBatch</c> (the waiting line holds at most this many new tasks). Default 256.
    /// </summary>
    public int SubmitConcurrency { get; set; } = 256;

    /// <summary>
    /// This dispatcher's RabbitMQ consumer priority on the submit queue: the broker gives submits to the dispatcher of
    /// the highest priority, and to the next only while it holds <see cref="SubmitConcurrency"/> of them unacknowledged,
    /// or once it is gone. Unset (the default): with <c>cost-aware</c>, a priority derived from
    /// <see cref="DispatcherId"/> (<see cref="SubmitPriorities"/>), so that one dispatcher orders and places every
    /// waiting task in one line and the others stand by; with any other strategy none, so that the dispatchers share
    /// the submits evenly.
    /// </summary>
    public int? SubmitPriority { get; set; }

    /// <summary>
    /// How long a new task may wait for a slot before it is stored as Pending. A task that gets its slot sooner is
    /// stored once, already dispatched, together with its first attempt: one write instead of three, which is most
    /// of what a busy fleet's database does per task. Until then the task is only in this dispatcher's waiting line
    /// (its submit unacknowledged, as for a task still in the broker's queue): a lookup does not find it yet, and a
    /// cancel that reaches this dispatcher stores it at once before cancelling. Zero stores every task that cannot
    /// start at once before it waits. Default 1 s.
    /// </summary>
    public TimeSpan RecordWaitingAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the latest heartbeats are written to the <c>workers</c> table (batched). Default 500 ms.</summary>
    public TimeSpan HeartbeatFlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Slow start: how long a worker that just started (or came back) takes to ramp from 10 % of its weight to
    /// all of it, as Envoy's and HAProxy's slow start do. Default 0: off.
    /// </summary>
    public TimeSpan SlowStartWindow { get; set; } = TimeSpan.Zero;

    /// <summary>How often attempts other dispatchers reported are checked against the store (see SlotAllocator). Default 10 s.</summary>
    public TimeSpan LedgerReconcileInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long the broker may be reachable while this dispatcher does not consume before it stops with exit
    /// code 75 to be restarted by its supervisor (its receive endpoints did not recover from a lost connection).
    /// Default 60 s.
    /// </summary>
    public TimeSpan EndpointRecoveryTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often this dispatcher tells the others it is up (<c>DispatcherHeartbeat</c>). Default 1 s.</summary>
    public TimeSpan PeerHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A dispatcher not heard for this long is gone; with no other dispatcher heard, attempts are not broadcast.
    /// Default 15 s: generous on purpose, since the two mistakes cost differently. Taking a live peer for gone (its
    /// heartbeats late on a starved CPU) skips broadcasts it needs, and its ledger miscounts the slots until
    /// reconciled; taking a gone peer for live costs only messages nobody reads.
    /// </summary>
    public TimeSpan PeerTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Writer loops of the store's group commit on PostgreSQL (each holds one connection while it writes). Fewer
    /// loops make larger groups (less CPU per write), more make shorter waits. Default 4; SQLite always uses 1.
    /// </summary>
    public int StoreWriters { get; set; } = 4;

    /// <summary>
    /// Most attempts one message to a worker carries (1..64): attempts granted to a worker while the previous message to
    /// it is on its way go together in one <c>ExecuteTaskBatch</c>. 1 sends every attempt alone as <c>ExecuteTask</c>, as
    /// dispatchers did before batches (a worker that predates <c>ExecuteTaskBatch</c> cannot read a batch: upgrade the
    /// workers first, or set 1 meanwhile). Default 64.
    /// </summary>
    public int MaxAttemptsPerMessage { get; set; } = WorkerSends.MaxTasksPerMessage;

    /// <summary>Largest accepted task payload, in bytes of JSON. Default 1 MiB.</summary>
    public int MaxPayloadBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Largest submit message read, in bytes of its body as it arrived (envelope and payload), checked before it is
    /// deserialized. A larger one is not deserialized: its task id is looked for with a forward-only scan and the
    /// task stored as Failed <c>payload-too-large</c> (without an id, the message goes to <c>workfleet.submit_error</c>).
    /// Greater than <see cref="MaxPayloadBytes"/>, at most 512 MiB. The bodies held at once are at most
    /// <see cref="SubmitConcurrency"/> × the broker's <c>max_message_size</c>: lower that on the broker to bound the
    /// dispatcher's memory. Default 2 MiB (2,097,152 bytes: the 1 MiB payload limit plus room for the envelope).
    /// </summary>
    public int MaxSubmitBytes { get; set; } = 2 * 1024 * 1024;
}
