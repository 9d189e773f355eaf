using WorkFleet.Contracts;

namespace WorkFleet.Worker.Resources;

/// <summary>What a heartbeat reports about the whole host; each part null where it cannot be read.</summary>
/// <param name="Cpu">Host CPU use since the previous reading, 0..1.</param>
/// <param name="Memory">Host memory in use, 0..1.</param>
/// <param name="Gpus">The host's GPUs; null where there is no <c>nvidia-smi</c> or it fails.</param>
public sealed record HostUsage(double? Cpu, double? Memory, IReadOnlyList<GpuStatus>? Gpus)
{
    /// <summary>Nothing known (not Linux, no GPU tool).</summary>
    public static HostUsage Unknown { get; } = new(null, null, null);
}
