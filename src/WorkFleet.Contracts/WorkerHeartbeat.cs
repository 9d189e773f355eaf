namespace WorkFleet.Contracts;

/// <summary>
/// Event every worker publishes periodically (default every second): its identity, what it can run and
/// how loaded it is. The dispatcher keeps the latest one per worker in PostgreSQL and in memory.
/// </summary>
public sealed record WorkerHeartbeat
{
    /// <summary>Unique worker id (host name + random suffix unless configured).</summary>
    public required string WorkerId { get; init; }

    /// <summary>The worker's own queue, <c>workfleet.worker.&lt;id&gt;</c>.</summary>
    public required string QueueName { get; init; }

    /// <summary>Relative speed, &gt; 0 (1 = baseline). Higher weight receives proportionally more work.</summary>
    public double Weight { get; init; } = 1;

    /// <summary>Maximum concurrent tasks.</summary>
    public int Capacity { get; init; } = 1;

    /// <summary>Tasks running now.</summary>
    public int InFlight { get; init; }

    /// <summary>Tasks received but not yet started.</summary>
    public int Queued { get; init; }

    /// <summary>Attempts completed since the worker started.</summary>
    public long CompletedTotal { get; init; }

    /// <summary>Attempts failed since the worker started.</summary>
    public long FailedTotal { get; init; }

    /// <summary>Process CPU use over the last interval, 0..1 of the whole machine.</summary>
    public double CpuUtilization { get; init; }

    /// <summary>Process working set as a fraction of the memory available to it, 0..1.</summary>
    public double MemoryUtilization { get; init; }

    /// <summary>
    /// CPU use of the whole host (all processes, all cores) over the last sample period, 0..1, from <c>/proc/stat</c>;
    /// null where the worker cannot read it (not Linux) and from workers older than this field.
    /// </summary>
    public double? HostCpuUtilization { get; init; }

    /// <summary>
    /// Memory in use on the host, (MemTotal − MemAvailable) / MemTotal from <c>/proc/meminfo</c>, 0..1; null where
    /// the worker cannot read it (not Linux) and from workers older than this field.
    /// </summary>
    public double? HostMemoryUtilization { get; init; }

    /// <summary>
    /// The host's GPUs as <c>nvidia-smi</c> last reported them; null (not empty) where there is no such tool or it
    /// failed, so "no GPU" never reads as "an idle GPU".
    /// </summary>
    public IReadOnlyList<GpuStatus>? Gpus { get; init; }

    /// <summary>Exponentially weighted moving average of task run time in milliseconds (0 before the first task).</summary>
    public double EwmaTaskDurationMs { get; init; }

    /// <summary>Job types the worker can run.</summary>
    public IReadOnlyList<string> JobTypes { get; init; } = [];

    /// <summary>Capabilities the worker offers (e.g. <c>gpu</c>, <c>avx2</c>).</summary>
    public IReadOnlyList<string> Capabilities { get; init; } = [];

    /// <summary>Active or Draining.</summary>
    public WorkerState State { get; init; }

    /// <summary>Increases by one per heartbeat of this worker process; lets the dispatcher drop reordered heartbeats.</summary>
    public long Sequence { get; init; }

    /// <summary>When this worker process started; a new value means a new incarnation.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Worker clock, when the heartbeat was sent.</summary>
    public DateTimeOffset SentAt { get; init; }
}
