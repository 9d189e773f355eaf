namespace WorkFleet.Lab.Bench;

/// <summary>The result of <c>workfleet-lab bench-batching</c>, printed as a table and (with --json) as one JSON line.</summary>
/// <param name="Settings">What ran.</param>
/// <param name="Runs">Every run, in the order they ran.</param>
/// <param name="OffTasksPerSecond">Median tasks/s of the runs with batching off.</param>
/// <param name="OnTasksPerSecond">Median tasks/s of the runs with batching on.</param>
/// <param name="Speedup">On over off.</param>
public sealed record BatchingBenchReport(
    BatchingBenchSettings Settings,
    IReadOnlyList<BatchingBenchRun> Runs,
    double OffTasksPerSecond,
    double OnTasksPerSecond,
    double Speedup);

/// <summary>One measured run.</summary>
/// <param name="Batching">Whether batching was on.</param>
/// <param name="Completed">Tasks that succeeded.</param>
/// <param name="Failed">Tasks that failed or were lost.</param>
/// <param name="ElapsedMs">Submit of the first to result of the last measured task.</param>
/// <param name="TasksPerSecond">Completed tasks per second.</param>
/// <param name="RowsPerSecond">Rows classified per second.</param>
/// <param name="MeanBatchSize">Tasks per handler call on the workers during the measured tasks (1 when off).</param>
public sealed record BatchingBenchRun(
    bool Batching,
    int Completed,
    int Failed,
    double ElapsedMs,
    double TasksPerSecond,
    double RowsPerSecond,
    double MeanBatchSize);
