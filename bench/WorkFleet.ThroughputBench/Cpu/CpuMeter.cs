namespace WorkFleet.ThroughputBench.Cpu;

/// <summary>Named CPU counters (processes, containers) read together, so a round's usage is one difference.</summary>
public sealed class CpuMeter
{
    private readonly List<(string Name, Func<double?> Read)> _sources = [];

    /// <summary>Adds a process by id.</summary>
    public CpuMeter AddProcess(string name, int pid)
    {
        _sources.Add((name, () => ProcessCpu.CpuMilliseconds(pid)));
        return this;
    }

    /// <summary>Adds a container's cgroup, when the container is known.</summary>
    public CpuMeter AddContainer(string name, ContainerCpu? container)
    {
        if (container is not null)
        {
            _sources.Add((name, () => container.CpuMilliseconds()));
        }

        return this;
    }

    /// <summary>CPU milliseconds used so far by each source that can still be read.</summary>
    public Dictionary<string, double> Read()
    {
        var reading = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, read) in _sources)
        {
            if (read() is { } value)
            {
                reading[name] = value;
            }
        }

        return reading;
    }

    /// <summary>What each source used between two readings.</summary>
    public static Dictionary<string, double> Used(IReadOnlyDictionary<string, double> before, IReadOnlyDictionary<string, double> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return before.Where(b => after.ContainsKey(b.Key)).ToDictionary(b => b.Key, b => after[b.Key] - b.Value, StringComparer.Ordinal);
    }
}
