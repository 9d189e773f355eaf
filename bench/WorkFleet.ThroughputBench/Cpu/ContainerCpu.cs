using System.Globalization;
using WorkFleet.ThroughputBench.Processes;

namespace WorkFleet.ThroughputBench.Cpu;

/// <summary>
/// A container's cumulative CPU time from its cgroup: <c>cpu.stat</c> <c>usage_usec</c> on cgroup v2,
/// <c>cpuacct.usage</c> (nanoseconds) on v1. Found through the container's main process: its
/// <c>/proc/&lt;pid&gt;/cgroup</c> names the cgroup under <c>/sys/fs/cgroup</c>.
/// </summary>
public sealed class ContainerCpu
{
    private readonly string _usageFile;
    private readonly bool _nanoseconds;

    private ContainerCpu(string usageFile, bool nanoseconds)
    {
        _usageFile = usageFile;
        _nanoseconds = nanoseconds;
    }

    /// <summary>Locates the cgroup of container <paramref name="containerId"/>.</summary>
    public static async Task<ContainerCpu> FindAsync(string containerId)
    {
        var pid = await Shell.RunAsync("docker", ["inspect", "-f", "{{.State.Pid}}", containerId]);
        var lines = await File.ReadAllLinesAsync($"/proc/{pid}/cgroup");
        if (lines.FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal)) is { } unified && File.Exists("/sys/fs/cgroup/cgroup.controllers"))
        {
            return new ContainerCpu($"/sys/fs/cgroup{unified[3..]}/cpu.stat", nanoseconds: false);
        }

        // v1: "4:cpu,cpuacct:/docker/<id>"; the hierarchy is mounted at /sys/fs/cgroup/<controllers>.
        var v1 = lines.Select(l => l.Split(':', 3)).First(parts => parts.Length == 3 && parts[1].Split(',').Contains("cpuacct"));
        var mount = new[] { v1[1], "cpu,cpuacct", "cpuacct" }.Select(m => $"/sys/fs/cgroup/{m}").First(Directory.Exists);
        return new ContainerCpu($"{mount}{v1[2]}/cpuacct.usage", nanoseconds: true);
    }

    /// <summary>CPU milliseconds the container has used so far.</summary>
    public double CpuMilliseconds()
    {
        if (_nanoseconds)
        {
            return long.Parse(File.ReadAllText(_usageFile).Trim(), CultureInfo.InvariantCulture) / 1e6;
        }

        var usage = File.ReadLines(_usageFile).First(l => l.StartsWith("usage_usec ", StringComparison.Ordinal));
        return long.Parse(usage["usage_usec ".Length..], CultureInfo.InvariantCulture) / 1e3;
    }
}
