namespace WorkFleet.Worker.Execution;

/// <summary>Error kinds a worker reports in <c>TaskFailed.ErrorKind</c>.</summary>
public static class WorkerErrorKinds
{
    /// <summary>No handler is registered for the job type.</summary>
    public const string UnknownJobType = "unknown-job-type";

    /// <summary>The handler rejected the input (malformed JSON, missing or invalid field).</summary>
    public const string InvalidInput = "invalid-input";

    /// <summary>The attempt exceeded its timeout.</summary>
    public const string Timeout = "timeout";

    /// <summary>The handler asked for another attempt.</summary>
    public const string Transient = "transient";

    /// <summary>A producer cancelled the task.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>The handler threw.</summary>
    public const string HandlerError = "handler-error";
}
