namespace WorkFleet.Worker.Resources;

/// <summary>
/// Reads the host's CPU and memory use from <c>/proc</c> (two small files, cheap enough for every heartbeat) and
/// the GPUs from the <see cref="GpuSampler"/>'s last sample. One per process: every worker of a process shares
/// the host, so they report the same figures. Where <c>/proc</c> cannot be read (not Linux) CPU and memory are null.
/// </summary>
public sealed class HostResourceMonitor
{
    private readonly Lock _gate = new();
    private readonly GpuSampler _gpus;
    private readonly string _procStat;
    private readonly string _procMeminfo;
    private CpuTimes? _previous;
    private double? _lastCpu;

    /// <summary>Reads the real <c>/proc</c>; the first CPU reading is taken now, so the first heartbeat has a value.</summary>
    public HostResourceMonitor(GpuSampler gpus)
        : this(gpus, "/proc/stat", "/proc/meminfo")
    {
    }

    /// <summary>Reads the given files in place of <c>/proc/stat</c> and <c>/proc/meminfo</c>.</summary>
    public HostResourceMonitor(GpuSampler gpus, string procStat, string procMeminfo)
    {
        _gpus = gpus;
        _procStat = procStat;
        _procMeminfo = procMeminfo;
        _previous = ReadCpu();
    }

    /// <summary>
    /// Host use now: CPU over the time since the previous call (several workers in one process each call it, so
    /// the period is the shortest between their beats; a period with no tick repeats the last value).
    /// </summary>
    public HostUsage Read()
    {
        double? cpu;
        lock (_gate)
        {
            var now = ReadCpu();
            if (now is not { } current)
            {
                (_previous, _lastCpu) = (null, null);
            }
            else if (_previous is { } previous && current.UtilizationSince(previous) is { } used)
            {
                (_previous, _lastCpu) = (current, used);
            }
            else if (_previous is null || current.Total < _previous.Value.Total)
            {
                // First reading, or the counters were reset: start a new period from here.
                _previous = current;
            }

            cpu = _lastCpu;
        }

        return new HostUsage(cpu, ReadText(_procMeminfo) is { } meminfo ? MemInfo.Utilization(meminfo) : null, _gpus.Latest);
    }

    private CpuTimes? ReadCpu() => ReadText(_procStat) is { } stat ? CpuTimes.Parse(stat) : null;

    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
