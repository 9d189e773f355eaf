using System.Globalization;

namespace WorkFleet.Worker.Resources;

/// <summary>
/// The host's cumulative CPU time from the first (<c>cpu</c>) line of <c>/proc/stat</c>, in clock ticks: the
/// busy part and the total. Utilization is the busy share of the difference between two readings.
/// </summary>
/// <param name="Busy">Ticks spent on anything but idle and I/O wait.</param>
/// <param name="Total">All ticks (user, nice, system, idle, iowait, irq, softirq, steal).</param>
public readonly record struct CpuTimes(ulong Busy, ulong Total)
{
    /// <summary>
    /// Reads the aggregate line of a <c>/proc/stat</c> text; null when it has none or it is malformed.
    /// Guest time is left out: the kernel already counts it in user and nice.
    /// </summary>
    public static CpuTimes? Parse(string procStat)
    {
        ArgumentNullException.ThrowIfNull(procStat);
        foreach (var line in procStat.Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || fields[0] != "cpu")
            {
                continue;
            }

            if (fields.Length < 5)
            {
                return null;
            }

            // user nice system idle [iowait irq softirq steal]: the first four exist on every kernel.
            var ticks = new ulong[8];
            for (var i = 0; i < ticks.Length && i + 1 < fields.Length; i++)
            {
                if (!ulong.TryParse(fields[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out ticks[i]))
                {
                    return null;
                }
            }

            var idle = ticks[3] + ticks[4];
            var total = ticks.Aggregate(0UL, (sum, t) => sum + t);
            return new CpuTimes(total - idle, total);
        }

        return null;
    }

    /// <summary>
    /// The busy share, 0..1, between <paramref name="earlier"/> and this reading; null when no tick passed or the
    /// counters went backwards (a reset), so a meaningless value is never reported.
    /// </summary>
    public double? UtilizationSince(CpuTimes earlier)
    {
        if (Total <= earlier.Total || Busy < earlier.Busy)
        {
            return null;
        }

        return Math.Clamp((double)(Busy - earlier.Busy) / (Total - earlier.Total), 0, 1);
    }
}
