namespace WorkFleet.Lab.Bench;

/// <summary>What <c>workfleet-lab bench-batching</c> runs.</summary>
/// <param name="Tasks">Measured <c>inference.mlp</c> tasks per run.</param>
/// <param name="Rows">Rows (8x8 digit glyphs) per task.</param>
/// <param name="Workers">Workers in the embedded fleet.</param>
/// <param name="Capacity">Each worker's capacity.</param>
/// <param name="MaxBatchSize">The batching run's <c>MaxBatchSize</c> (at most <paramref name="Capacity"/>).</param>
/// <param name="MaxDelay">The batching run's <c>MaxDelay</c>.</param>
/// <param name="Rounds">Pairs of runs (off and on, alternating which goes first).</param>
/// <param name="WarmupTasks">Unmeasured tasks at the start of each run.</param>
/// <param name="Hidden">0 for the shipped <c>digits-mlp</c> (64-128-64-10); otherwise a generated 64-H-H-10 model with random weights.</param>
/// <param name="RealStack">
/// True: RabbitMQ and PostgreSQL from configuration (<c>appsettings.json</c> in the current directory,
/// <c>WorkFleet__…</c> environment variables), as <c>workfleet submit</c> uses; false: in-memory transport and SQLite.
/// </param>
public sealed record BatchingBenchSettings(
    int Tasks,
    int Rows,
    int Workers,
    int Capacity,
    int MaxBatchSize,
    TimeSpan MaxDelay,
    int Rounds,
    int WarmupTasks,
    int Hidden,
    bool RealStack = false);
