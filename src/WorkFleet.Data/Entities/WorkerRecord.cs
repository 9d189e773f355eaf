namespace WorkFleet.Data.Entities;

/// <summary>The latest heartbeat of each worker (table <c>workers</c>).</summary>
public sealed class WorkerRecord
{
    /// <summary>Worker id (primary key).</summary>
    public required string Id { get; set; }

    /// <summary>The worker's queue.</summary>
    public required string QueueName { get; set; }

    /// <summary>Relative speed.</summary>
    public double Weight { get; set; }

    /// <summary>Maximum concurrent tasks.</summary>
    public int Capacity { get; set; }

    /// <summary>Running tasks at the last heartbeat.</summary>
    public int InFlight { get; set; }

    /// <summary>Received, not started, at the last heartbeat.</summary>
    public int Queued { get; set; }

    /// <summary>Attempts completed by this incarnation.</summary>
    public long CompletedTotal { get; set; }

    /// <summary>Attempts failed by this incarnation.</summary>
    public long FailedTotal { get; set; }

    /// <summary>CPU use 0..1.</summary>
    public double CpuUtilization { get; set; }

    /// <summary>Memory use 0..1.</summary>
    public double MemoryUtilization { get; set; }

    /// <summary>Host CPU use 0..1; null when the worker did not report it.</summary>
    public double? HostCpuUtilization { get; set; }

    /// <summary>Host memory use 0..1; null when the worker did not report it.</summary>
    public double? HostMemoryUtilization { get; set; }

    /// <summary>
    /// The host's GPUs as the heartbeat's JSON array (<c>index</c>, <c>name</c>, <c>utilization</c>,
    /// <c>memoryUsedBytes</c>, <c>memoryTotalBytes</c>); null where the worker has no GPU tool.
    /// </summary>
    public string? Gpus { get; set; }

    /// <summary>EWMA task duration in milliseconds.</summary>
    public double EwmaTaskDurationMs { get; set; }

    /// <summary>Job types it runs.</summary>
    public List<string> JobTypes { get; set; } = [];

    /// <summary>Capabilities it offers.</summary>
    public List<string> Capabilities { get; set; } = [];

    /// <summary>Active or Draining.</summary>
    public required string State { get; set; }

    /// <summary>Heartbeat sequence.</summary>
    public long Sequence { get; set; }

    /// <summary>Worker clock: when the worker process started.</summary>
    public DateTime StartedAt { get; set; }

    /// <summary>Dispatcher clock: when the last heartbeat was received.</summary>
    public DateTime LastHeartbeatAt { get; set; }

    /// <summary>Dispatcher clock: when first seen.</summary>
    public DateTime FirstSeenAt { get; set; }
}
