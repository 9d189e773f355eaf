namespace WorkFleet.Contracts;

/// <summary>
/// The error kinds of the wire: <see cref="TaskFailed.ErrorKind"/> from workers and
/// <see cref="TaskFinished.ErrorKind"/> to producers. Producers branch on them, so they never change.
/// </summary>
public static class ErrorKinds
{
    /// <summary>The submit message broke a rule (missing job type, priority out of range, payload too large …).</summary>
    public const string InvalidTask = "invalid-task";

    /// <summary>No live worker supports the job type and required capabilities.</summary>
    public const string NoCapableWorker = "no-capable-worker";

    /// <summary>The worker holding the attempt stopped sending heartbeats and the attempts ran out.</summary>
    public const string WorkerLost = "worker-lost";

    /// <summary>A producer cancelled the task.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>No handler is registered for the job type on the worker that received it.</summary>
    public const string UnknownJobType = "unknown-job-type";

    /// <summary>The handler rejected the input (malformed JSON, missing or invalid field).</summary>
    public const string InvalidInput = "invalid-input";

    /// <summary>The attempt exceeded its timeout.</summary>
    public const string Timeout = "timeout";

    /// <summary>The handler asked for another attempt.</summary>
    public const string Transient = "transient";

    /// <summary>The handler threw.</summary>
    public const string HandlerError = "handler-error";
}
