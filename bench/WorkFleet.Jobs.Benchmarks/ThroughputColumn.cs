using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace WorkFleet.Jobs.Benchmarks;

/// <summary>
/// Rows per second or GFLOP/s of a benchmark case, from its mean time, its <c>BatchSize</c> parameter and the
/// public static <c>FlopsPerRow</c> of its class.
/// </summary>
public sealed class ThroughputColumn(bool gigaflops) : IColumn
{
    public string Id => gigaflops ? "GFLOPs" : "RowsPerSecond";

    public string ColumnName => gigaflops ? "GFLOP/s" : "rows/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => gigaflops ? 1 : 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => gigaflops
        ? "Floating-point operations per second: batch size x FLOPs per row / mean time (same work for every method of a class)"
        : "Rows classified per second (for PeakDot: rows' worth of FLOPs)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        if (summary[benchmarkCase]?.ResultStatistics is not { } statistics)
        {
            return "-";
        }

        int rows = (int)benchmarkCase.Parameters[nameof(MlpInferenceBenchmarks.BatchSize)];
        double seconds = statistics.Mean / 1e9;
        long flopsPerRow = (long)(benchmarkCase.Descriptor.Type.GetProperty(nameof(MlpInferenceBenchmarks.FlopsPerRow), BindingFlags.Public | BindingFlags.Static)?.GetValue(null)
            ?? throw new InvalidOperationException($"{benchmarkCase.Descriptor.Type.Name} has no public static FlopsPerRow."));
        return gigaflops
            ? (rows * flopsPerRow / seconds / 1e9).ToString("F2", CultureInfo.InvariantCulture)
            : (rows / seconds).ToString("N0", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
