namespace WorkFleet.Contracts;

/// <summary>
/// The error kinds of the wire: <see cref="TaskFailed.ErrorKind"/> from workers and
/// <see cref="TaskFinished.ErrorKind"/> to producers. Producers branch on them, so they never change.
/// </summary>
public static class ErrorKinds
{
    /// <summary>The submit message broke a rule (missing job type, priority out of range, payload too large …).</summary>
    public const string InvalidTask = "invalid-task";

    /// <summary>
    /// The submit message was larger than the dispatcher accepts (<c>WorkFleet:Dispatcher:MaxSubmitBytes</c>); it was
    /// refused before it was read, and the error names its size and the limit. Not retried.
    /// </summary>
    public const string PayloadTooLarge = "payload-too-large";

    /// <summary>No live worker supports the job type and required capabilities.</summary>
    public const string NoCapableWorker = "no-capable-worker";

    /// <summary>The worker holding the attempt stopped sending heartbeats and the attempts ran out.</summary>
    public const string WorkerLost = "worker-lost";

    /// <summary>A producer cancelled the task.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>
    /// The worker that received the task does not run its job type: no handler is registered for it there, or the
    /// worker does not advertise it (a worker refuses job types it did not advertise, even ones it has a handler for).
    /// </summary>
    public const string UnknownJobType = "unknown-job-type";

    /// <summary>The handler rejected the input (malformed JSON, missing or invalid field).</summary>
    public const string InvalidInput = "invalid-input";

    /// <summary>The attempt exceeded its timeout.</summary>
    public const string Timeout = "timeout";

    /// <summary>The handler asked for another attempt.</summary>
    public const string Transient = "transient";

    /// <summary>The handler threw.</summary>
    public const string HandlerError = "handler-error";

    /// <summary>
    /// The handler's result was larger than the worker's limit (<c>WorkFleet:Worker:MaxResultBytes</c>); it was not
    /// sent, and the task is not retried, since its job would produce the same result again.
    /// </summary>
    public const string ResultTooLarge = "result-too-large";
}
