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

    /// <summary>
    /// Most batches of one model running at once on this worker, 1..<see cref="WorkerOptions.Capacity"/>, like
    /// Triton's instance count. While that many run, new tasks wait and the next batch takes them together: a
    /// bound is what makes batches grow with load. Default 1 (one instance, Triton's default on a CPU); raise
    /// it to let independent batches use more cores.
    /// </summary>
    public int MaxConcurrentBatches { get; set; } = 1;

    /// <summary>True when tasks of the job type are gathered into batches.</summary>
    public bool IsEnabled => MaxBatchSize > 1;
}
