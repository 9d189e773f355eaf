namespace WorkFleet.Worker.Configuration;

/// <summary>
/// Dynamic batching of one job type. Section <c>WorkFleet:Worker:Batching:&lt;jobType&gt;</c>, e.g.
/// <c>WorkFleet:Worker:Batching:inference.mlp:MaxBatchSize</c>. Only job types whose handler is an
/// <c>IBatchJobHandler</c> can batch.
/// </summary>
public sealed class BatchingOptions
{
    /// <summary>
    /// Most tasks run as one batch, 1..<see cref="WorkerOptions.Capacity"/> (a worker never holds more tasks
    /// than its capacity, so a larger batch could never fill). Default 1: batching off, each task runs alone.
    /// </summary>
    public int MaxBatchSize { get; set; } = 1;

    /// <summary>
    /// How long the first task of a batch waits for others before the batch runs anyway, 0..1 s. Default 2 ms.
    /// A full batch runs at once.
    /// </summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>True when tasks of the job type are gathered into batches.</summary>
    public bool IsEnabled => MaxBatchSize > 1;
}
