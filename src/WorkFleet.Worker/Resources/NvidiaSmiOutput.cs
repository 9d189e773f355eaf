using System.Globalization;
using WorkFleet.Contracts;

namespace WorkFleet.Worker.Resources;

/// <summary>Reads what <c>nvidia-smi</c> prints for <see cref="Arguments"/>; pure, no process is started here.</summary>
public static class NvidiaSmiOutput
{
    /// <summary>The query whose output <see cref="Parse"/> reads: one CSV line per device, MiB and percent without units.</summary>
    public const string Arguments = "--query-gpu=index,name,utilization.gpu,memory.used,memory.total --format=csv,noheader,nounits";

    private const long BytesPerMebibyte = 1024 * 1024;

    /// <summary>
    /// One <see cref="GpuStatus"/> per well-formed line, in the tool's order; null when no line is (no device, or
    /// the tool printed an error), so "no GPU" never reads as an idle one. A value the tool cannot report
    /// (<c>[N/A]</c>, <c>[Not Supported]</c>) is null; a line without a numeric index is skipped.
    /// </summary>
    public static IReadOnlyList<GpuStatus>? Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var gpus = new List<GpuStatus>();
        foreach (var line in output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (ParseLine(line) is { } gpu)
            {
                gpus.Add(gpu);
            }
        }

        return gpus.Count == 0 ? null : gpus;
    }

    private static GpuStatus? ParseLine(string line)
    {
        // index, name, utilization %, used MiB, total MiB; a name holding a comma spreads over the middle fields.
        var fields = line.Split(',', StringSplitOptions.TrimEntries);
        if (fields.Length < 5 || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return null;
        }

        var percent = Number(fields[^3]);
        var used = Number(fields[^2]);
        var total = Number(fields[^1]);
        return new GpuStatus
        {
            Index = index,
            Name = string.Join(", ", fields[1..^3]),
            Utilization = percent is { } p ? Math.Clamp(p / 100, 0, 1) : null,
            MemoryUsedBytes = used is { } u ? (long)(u * BytesPerMebibyte) : null,
            MemoryTotalBytes = total is { } t ? (long)(t * BytesPerMebibyte) : null,
        };
    }

    private static double? Number(string field) =>
        double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= 0 ? value : null;
}
