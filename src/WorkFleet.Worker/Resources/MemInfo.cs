using System.Globalization;

namespace WorkFleet.Worker.Resources;

/// <summary>Host memory use from the text of <c>/proc/meminfo</c>.</summary>
public static class MemInfo
{
    /// <summary>
    /// (MemTotal − MemAvailable) / MemTotal, 0..1; null when either line is missing or malformed. MemAvailable
    /// (the kernel's estimate of memory a new program can get without swapping) counts page cache as free, which
    /// MemFree does not.
    /// </summary>
    public static double? Utilization(string meminfo)
    {
        ArgumentNullException.ThrowIfNull(meminfo);
        long? total = null, available = null;
        foreach (var line in meminfo.Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || !long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kilobytes))
            {
                continue;
            }

            switch (fields[0])
            {
                case "MemTotal:":
                    total = kilobytes;
                    break;
                case "MemAvailable:":
                    available = kilobytes;
                    break;
            }
        }

        return total is > 0 && available is { } free ? Math.Clamp((double)(total.Value - free) / total.Value, 0, 1) : null;
    }
}
