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

        // Observable: the counts above are kept anyway, so the hot path pays one increment, and every counter has a
        // series (0) from the start rather than from its first event.
        meter.CreateObservableCounter("workfleet.attempts.dispatched", () => AttemptsDispatched, "{attempt}", "Attempts this dispatcher sent to worker queues.");
        meter.CreateObservableCounter("workfleet.tasks.finished", FinishedMeasurements, "{task}", "Task outcomes this dispatcher decided, by outcome and error kind.");
        meter.CreateObservableCounter("workfleet.retries.scheduled", () => RetriesScheduled, "{retry}", "Retryable failures given another attempt.");
        meter.CreateObservableCounter("workfleet.tasks.rescued", () => TasksRescued, "{task}", "Unfinished tasks taken back from lost or stopped workers.");
        meter.CreateObservableCounter("workfleet.messages.refused", () => MessagesRefused, "{message}", "Worker heartbeats and results refused as untrusted or implausible.");
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
        _dispatchWaitHistogram.Record(waited.TotalSeconds);
    }

    /// <summary>A task's outcome was decided (and published) here.</summary>
    public void TaskFinished(TaskOutcome outcome, string? errorKind)
    {
        var kind = outcome == TaskOutcome.Succeeded ? string.Empty : errorKind ?? "failed";
        _finished.AddOrUpdate((outcome, kind), 1, (_, count) => count + 1);
    }

    /// <summary>A retryable failure got another attempt.</summary>
    public void RetryScheduled()
    {
        Interlocked.Increment(ref _retries);
    }

    /// <summary><paramref name="count"/> unfinished tasks were taken back from a departed worker.</summary>
    public void TasksTakenBack(int count)
    {
        Interlocked.Add(ref _rescued, count);
    }

    /// <summary>A heartbeat or result was refused (see SenderTrust).</summary>
    public void MessageRefused()
    {
        Interlocked.Increment(ref _refused);
    }

    /// <summary>A worker reported a job that ran for <paramref name="runTime"/>.</summary>
    public void JobRan(TimeSpan runTime)
    {
        RunTime.Record(runTime);
        _runTimeHistogram.Record(Math.Max(0, runTime.TotalSeconds));
    }

    /// <summary>Outcomes by <c>outcome</c> (<c>succeeded</c>, <c>failed</c>) and <c>error_kind</c>; successes always have a series.</summary>
    private IEnumerable<Measurement<long>> FinishedMeasurements()
    {
        var finished = Finished;
        if (!finished.ContainsKey((TaskOutcome.Succeeded, "")))
        {
            yield return Outcome(TaskOutcome.Succeeded, "", 0);
        }

        foreach (var ((outcome, kind), count) in finished)
        {
            yield return Outcome(outcome, kind, count);
        }
    }

    private static Measurement<long> Outcome(TaskOutcome outcome, string kind, long count) =>
        new(count, new KeyValuePair<string, object?>("outcome", outcome == TaskOutcome.Succeeded ? "succeeded" : "failed"), new KeyValuePair<string, object?>("error_kind", kind));
}
