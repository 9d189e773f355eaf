namespace WorkFleet.Contracts;

/// <summary>
/// One GPU of a worker's host as <c>nvidia-smi</c> reported it (part of <see cref="WorkerHeartbeat.Gpus"/>).
/// A field the tool reports as not available (<c>[N/A]</c>) is null.
/// </summary>
public sealed record GpuStatus
{
    /// <summary>Device index as the driver numbers it (0, 1, ...).</summary>
    public int Index { get; init; }

    /// <summary>Product name, e.g. <c>NVIDIA A10G</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary>Share of the last sample period the device was busy, 0..1; null when not reported.</summary>
    public double? Utilization { get; init; }

    /// <summary>Device memory in use, bytes; null when not reported.</summary>
    public long? MemoryUsedBytes { get; init; }

    /// <summary>Device memory in total, bytes; null when not reported.</summary>
    public long? MemoryTotalBytes { get; init; }
}
