using System.Globalization;

namespace WorkFleet.ThroughputBench.Cpu;

/// <summary>CPU time and peak memory of a process, from Linux's <c>/proc</c>.</summary>
public static class ProcessCpu
{
    // USER_HZ: the unit of utime and stime in /proc/<pid>/stat; 100 on every Linux architecture .NET runs on.
    private const double MillisecondsPerTick = 1000.0 / 100;

    /// <summary>User + system CPU milliseconds the process has used so far, or null once it is gone.</summary>
    public static double? CpuMilliseconds(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (utime + stime) * MillisecondsPerTick;
    }

    /// <summary>Peak resident set size (VmHWM) in MiB, or null once the process is gone.</summary>
    public static double? PeakResidentMiB(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
