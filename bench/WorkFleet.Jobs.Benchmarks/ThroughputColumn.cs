using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace WorkFleet.Jobs.Benchmarks;

/// <summary>Rows per second or GFLOP/s of an <see cref="MlpInferenceBenchmarks"/> case, from its mean time and batch size.</summary>
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
        ? "Floating-point operations per second: batch size x 34,048 FLOPs per row / mean time (same work in every benchmark)"
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
        return gigaflops
            ? (rows * MlpInferenceBenchmarks.FlopsPerRow / seconds / 1e9).ToString("F2", CultureInfo.InvariantCulture)
            : (rows / seconds).ToString("N0", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
