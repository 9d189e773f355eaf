using System.Diagnostics.Metrics;

namespace WorkFleet.Worker.Observability;

/// <summary>
/// What the workers of this process measure on the <see cref="MeterName"/> meter, labelled by <c>worker</c> and
/// <c>job_type</c>: how long tasks ran, how many tasks each dynamic batch held, how many results each message to the dispatcher carried, and how long tasks queued between the
/// dispatcher sending them and a worker starting them. Served on the worker's <c>/metrics</c> and over OTLP.
/// </summary>
public sealed class WorkerMetrics
{
    /// <summary>Name of the meter.</summary>
    public const string MeterName = "WorkFleet.Worker";

    /// <summary>Bucket bounds of the duration histograms, seconds: 1 ms to 60 s, as the dispatcher's.</summary>
    public static readonly IReadOnlyList<double> DurationBoundsSeconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    /// <summary>Bucket bounds of the batch size histogram: powers of two up to the largest capacity (1024).</summary>
    public static readonly IReadOnlyList<int> BatchSizeBounds = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

    private readonly Histogram<double> _runTime;
    private readonly Histogram<double> _queueWait;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<int> _resultBatchSize;

    /// <summary>Creates the histograms on a meter from <paramref name="meters"/>.</summary>
    public WorkerMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        var durations = new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBoundsSeconds };
        _runTime = meter.CreateHistogram("workfleet.worker.task.run", "s",
            "Run time of the tasks this worker started, by job type and outcome (succeeded or failed).", tags: null, advice: durations);
        _queueWait = meter.CreateHistogram("workfleet.worker.queue.wait", "s",
            "From the dispatcher sending an attempt to this worker starting it (the two hosts' clocks; a negative skew counts as 0).", tags: null, advice: durations);
        _batchSize = meter.CreateHistogram("workfleet.worker.batch.size", "{task}",
            "Tasks per dynamic batch run, by job type.", tags: null, advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchSizeBounds });
        _resultBatchSize = meter.CreateHistogram("workfleet.worker.result.batch.size", "{result}",
            "Results per message sent to the dispatcher (1 for a lone result; more when results finished while a send was in flight).",
            tags: null, advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchSizeBounds });
    }

    /// <summary>A task started <paramref name="waited"/> after the dispatcher sent it.</summary>
    public void TaskStarted(string workerId, string jobType, TimeSpan waited) =>
        _queueWait.Record(Math.Max(0, waited.TotalSeconds), Worker(workerId), JobType(jobType));

    /// <summary>A task that started here finished after <paramref name="ran"/>.</summary>
    public void TaskRan(string workerId, string jobType, bool succeeded, TimeSpan ran) =>
        _runTime.Record(ran.TotalSeconds, Worker(workerId), JobType(jobType), new("outcome", succeeded ? "succeeded" : "failed"));

    /// <summary>A dynamic batch of <paramref name="size"/> tasks started.</summary>
    public void BatchRan(string workerId, string jobType, int size) =>
        _batchSize.Record(size, Worker(workerId), JobType(jobType));

    /// <summary>A message carrying <paramref name="size"/> results went to the dispatcher.</summary>
    public void ResultsSent(string workerId, int size) =>
        _resultBatchSize.Record(size, Worker(workerId));

    private static KeyValuePair<string, object?> Worker(string workerId) => new("worker", workerId);

    private static KeyValuePair<string, object?> JobType(string jobType) => new("job_type", jobType);
}
