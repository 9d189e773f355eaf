namespace WorkFleet.Cli.Demo;

/// <summary>The demo's result, printed as a table and (with --json) as one JSON line.</summary>
public sealed record DemoReport(
    int Submitted,
    int Completed,
    int Failed,
    int Lost,
    double ElapsedMs,
    double TasksPerSecond,
    IReadOnlyList<DemoWorkerReport> Workers);

/// <summary>One worker's share of the demo.</summary>
public sealed record DemoWorkerReport(string Id, double Weight, int Capacity, int Completed, double MeanLatencyMs, int MaxConcurrent);
