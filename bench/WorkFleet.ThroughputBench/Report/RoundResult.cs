namespace WorkFleet.ThroughputBench.Report;

/// <summary>One measured round: how many tasks, how fast, and the CPU each process or container used meanwhile.</summary>
/// <param name="Pipeline">Which pipeline ran (<see cref="Raw"/>, <see cref="RawStored"/>, <see cref="WorkFleet"/> or <see cref="WorkFleetPrefetch"/>).</param>
/// <param name="Round">1-based round number.</param>
/// <param name="Tasks">Tasks submitted and finished.</param>
/// <param name="Seconds">From the first submit to the last <c>TaskFinished</c>.</param>
/// <param name="CpuMilliseconds">CPU used in that time, by source (<c>dispatcher</c>, <c>worker-1</c>…, <c>rabbitmq</c>, <c>postgres</c>).</param>
/// <param name="StoredSuccesses">Succeeded outcomes in the round's database (null for the raw pipeline, which stores none).</param>
public sealed record RoundResult(string Pipeline, int Round, int Tasks, double Seconds, IReadOnlyDictionary<string, double> CpuMilliseconds, long? StoredSuccesses)
{
    /// <summary>The raw MassTransit pipeline's name.</summary>
    public const string Raw = "raw MassTransit";

    /// <summary>The raw pipeline that also stores every result as a row in PostgreSQL.</summary>
    public const string RawStored = "raw MassTransit + result row";

    /// <summary>WorkFleet end to end's name.</summary>
    public const string WorkFleet = "WorkFleet";

    /// <summary>WorkFleet end to end with short-task prefetch on (<c>WorkFleet:Dispatcher:PrefetchPerSlot</c>, the bench's <c>--prefetch</c>).</summary>
    public const string WorkFleetPrefetch = "WorkFleet + prefetch";

    /// <summary>Throughput.</summary>
    public double TasksPerSecond => Tasks / Seconds;

    /// <summary>CPU milliseconds per task of one source, or null when it was not measured.</summary>
    public double? PerTask(string source) => CpuMilliseconds.TryGetValue(source, out var ms) ? ms / Tasks : null;

    /// <summary>CPU milliseconds per task of all workers together.</summary>
    public double? WorkersPerTask() => SumPerTask("worker-");

    /// <summary>CPU milliseconds per task of all dispatchers together.</summary>
    public double? DispatchersPerTask() => SumPerTask("dispatcher");

    private double? SumPerTask(string prefix)
    {
        var sources = CpuMilliseconds.Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        return sources.Count == 0 ? null : sources.Sum(c => c.Value) / Tasks;
    }
}
