using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using WorkFleet.Contracts;

namespace WorkFleet.Dispatcher.Observability;

/// <summary>
/// What this dispatcher decided since it started, counted where it is decided: attempts sent, outcomes by
/// kind, retries, rescues, how long tasks waited for a slot and how long jobs ran. Published on the <see cref="MeterName"/>
/// meter (the OpenTelemetry SDK serves it on <c>/metrics</c> and over OTLP), and kept here for what reads them in process.
/// </summary>
public sealed class DispatcherMetrics
{
    /// <summary>Name of the <see cref="Meter"/> the same counts are published on.</summary>
    public const string MeterName = "WorkFleet.Dispatcher";

    private readonly ConcurrentDictionary<(TaskOutcome Outcome, string ErrorKind), long> _finished = new();
    private readonly Counter<long> _attemptsCounter;
    private readonly Counter<long> _finishedCounter;
    private readonly Counter<long> _retriesCounter;
    private readonly Counter<long> _rescuedCounter;
    private readonly Counter<long> _refusedCounter;
    private readonly Histogram<double> _dispatchWaitHistogram;
    private readonly Histogram<double> _runTimeHistogram;
    private long _attempts;
    private long _retries;
    private long _rescued;
    private long _refused;

    /// <summary>Creates the counters on a meter from <paramref name="meters"/>.</summary>
    public DispatcherMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _attemptsCounter = meter.CreateCounter<long>("workfleet.attempts.dispatched", "{attempt}", "Attempts this dispatcher sent to worker queues.");
        _finishedCounter = meter.CreateCounter<long>("workfleet.tasks.finished", "{task}", "Task outcomes this dispatcher decided, by outcome and error kind.");
        _retriesCounter = meter.CreateCounter<long>("workfleet.retries.scheduled", "{retry}", "Retryable failures given another attempt.");
        _rescuedCounter = meter.CreateCounter<long>("workfleet.tasks.rescued", "{task}", "Unfinished tasks taken back from lost or stopped workers.");
        _refusedCounter = meter.CreateCounter<long>("workfleet.messages.refused", "{message}", "Worker heartbeats and results refused as untrusted or implausible.");
        // The same buckets as LatencyHistogram, so that the Prometheus page shows the bounds it always showed.
        var buckets = new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyHistogram.DefaultBoundsSeconds };
        _dispatchWaitHistogram = meter.CreateHistogram("workfleet.dispatch.wait", "s", "Time from the start of a dispatch to a granted worker slot.", tags: null, advice: buckets);
        _runTimeHistogram = meter.CreateHistogram("workfleet.task.run", "s", "Job run time on the worker, from its results.", tags: null, advice: buckets);
    }

    /// <summary>Time from the start of dispatch until a worker slot was granted.</summary>
    public LatencyHistogram DispatchWait { get; } = new();

    /// <summary>Job run time as the worker reported it (finished − started).</summary>
    public LatencyHistogram RunTime { get; } = new();

    /// <summary>Attempts sent to workers.</summary>
    public long AttemptsDispatched => Interlocked.Read(ref _attempts);

    /// <summary>Retryable failures that got another attempt.</summary>
    public long RetriesScheduled => Interlocked.Read(ref _retries);

    /// <summary>Unfinished tasks taken back from lost or stopped workers.</summary>
    public long TasksRescued => Interlocked.Read(ref _rescued);

    /// <summary>Worker heartbeats and results refused as untrusted or implausible.</summary>
    public long MessagesRefused => Interlocked.Read(ref _refused);

    /// <summary>Outcomes decided here, by outcome and error kind ("" for successes).</summary>
    public IReadOnlyDictionary<(TaskOutcome Outcome, string ErrorKind), long> Finished => _finished.ToDictionary();

    /// <summary>An attempt was sent after waiting <paramref name="waited"/> for its slot.</summary>
    public void AttemptDispatched(TimeSpan waited)
    {
        Interlocked.Increment(ref _attempts);
        DispatchWait.Record(waited);
        _attemptsCounter.Add(1);
        _dispatchWaitHistogram.Record(waited.TotalSeconds);
    }

    /// <summary>A task's outcome was decided (and published) here.</summary>
    public void TaskFinished(TaskOutcome outcome, string? errorKind)
    {
        var kind = outcome == TaskOutcome.Succeeded ? string.Empty : errorKind ?? "failed";
        _finished.AddOrUpdate((outcome, kind), 1, (_, count) => count + 1);
        var outcomeLabel = outcome == TaskOutcome.Succeeded ? "succeeded" : "failed";
        _finishedCounter.Add(1, new KeyValuePair<string, object?>("outcome", outcomeLabel), new KeyValuePair<string, object?>("error_kind", kind));
    }

    /// <summary>A retryable failure got another attempt.</summary>
    public void RetryScheduled()
    {
        Interlocked.Increment(ref _retries);
        _retriesCounter.Add(1);
    }

    /// <summary><paramref name="count"/> unfinished tasks were taken back from a departed worker.</summary>
    public void TasksTakenBack(int count)
    {
        Interlocked.Add(ref _rescued, count);
        _rescuedCounter.Add(count);
    }

    /// <summary>A heartbeat or result was refused (see SenderTrust).</summary>
    public void MessageRefused()
    {
        Interlocked.Increment(ref _refused);
        _refusedCounter.Add(1);
    }

    /// <summary>A worker reported a job that ran for <paramref name="runTime"/>.</summary>
    public void JobRan(TimeSpan runTime)
    {
        RunTime.Record(runTime);
        _runTimeHistogram.Record(Math.Max(0, runTime.TotalSeconds));
    }
}
