using BenchmarkDotNet.Configs;

namespace WorkFleet.Jobs.Benchmarks;

/// <summary>Adds the rows/s and GFLOP/s columns; the ratio column compares each case with PeakDot at the same batch size.</summary>
public sealed class ThroughputConfig : ManualConfig
{
    public ThroughputConfig()
    {
        AddColumn(new ThroughputColumn(gigaflops: false), new ThroughputColumn(gigaflops: true));
        WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared, BenchmarkDotNet.Order.MethodOrderPolicy.Declared));
    }
}
