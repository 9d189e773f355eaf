using WorkFleet.Contracts;

namespace WorkFleet.Balancing;

/// <summary>What the dispatcher knows about one worker from its latest heartbeat.</summary>
public sealed record WorkerSnapshot
{
    /// <summary>Unique worker id.</summary>
    public required string WorkerId { get; init; }

    /// <summary>Relative speed, &gt; 0.</summary>
    public required double Weight { get; init; }

    /// <summary>Maximum concurrent tasks, &gt; 0.</summary>
    public required int Capacity { get; init; }

    /// <summary>In-flight + queued as the worker reported it.</summary>
    public int ReportedLoad { get; init; }

    /// <summary>The worker is draining and must receive nothing new.</summary>
    public bool IsDraining { get; init; }

    /// <summary>Job types the worker runs (ordinal, case-sensitive).</summary>
    public IReadOnlySet<string> JobTypes { get; init; } = new HashSet<string>();

    /// <summary>Capabilities the worker offers.</summary>
    public IReadOnlySet<string> Capabilities { get; init; } = new HashSet<string>();

    /// <summary>EWMA of task run time in milliseconds; 0 when unknown.</summary>
    public double EwmaTaskDurationMs { get; init; }

    /// <summary>Host CPU use 0..1 from its heartbeat; null when the worker could not read it (or is older than the field).</summary>
    public double? HostCpuUtilization { get; init; }

    /// <summary>Host memory use 0..1 from its heartbeat; null when the worker could not read it (or is older than the field).</summary>
    public double? HostMemoryUtilization { get; init; }

    /// <summary>The host's GPUs from its heartbeat; null where the worker has no GPU tool.</summary>
    public IReadOnlyList<GpuStatus>? Gpus { get; init; }

    /// <summary>
    /// The classic resource-load scaling signal: max(host CPU, host memory), 0..1, over what the worker reported;
    /// null when it reported neither.
    /// </summary>
    public double? ResourceLoad => ResourceSignals.Load(HostCpuUtilization, HostMemoryUtilization);

    /// <summary>Heartbeat sequence of this worker incarnation; older ones are ignored.</summary>
    public long Sequence { get; init; }

    /// <summary>Start time of the worker process; a change means a new incarnation.</summary>
    public DateTimeOffset Incarnation { get; init; }

    /// <summary>Dispatcher clock: when this heartbeat was received (or loaded from the store).</summary>
    public DateTimeOffset LastSeen { get; init; }
}
