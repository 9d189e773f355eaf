namespace WorkFleet.Data.Entities;

/// <summary>A submitted task and its current outcome (table <c>tasks</c>).</summary>
public sealed class TaskRecord
{
    /// <summary>Producer-chosen id (primary key, the idempotency key).</summary>
    public Guid Id { get; set; }

    /// <summary>Job type.</summary>
    public required string JobType { get; set; }

    /// <summary>Job input as JSON text.</summary>
    public required string Payload { get; set; }

    /// <summary>0..9, higher first.</summary>
    public int Priority { get; set; }

    /// <summary>Required capabilities.</summary>
    public List<string> RequiredCapabilities { get; set; } = [];

    /// <summary>Per-attempt timeout in milliseconds, if the producer set one.</summary>
    public long? TimeoutMs { get; set; }

    /// <summary>
    /// The producer's cost hint (<c>SubmitTask.ExpectedCost</c>): milliseconds on a worker of weight 1; null when it gave
    /// none. Kept so a task still waiting after a restart is ordered and placed as before.
    /// </summary>
    public double? ExpectedCostMs { get; set; }

    /// <summary>Current state.</summary>
    public TaskState Status { get; set; }

    /// <summary>Current attempt number (0 until first dispatched).</summary>
    public int Attempt { get; set; }

    /// <summary>Worker of the current attempt.</summary>
    public string? WorkerId { get; set; }

    /// <summary>Producer clock.</summary>
    public DateTime SubmittedAt { get; set; }

    /// <summary>Dispatcher clock: when first recorded.</summary>
    public DateTime CreatedAt { get; set; }

    /// <summary>Dispatcher clock: when the current attempt was sent.</summary>
    public DateTime? DispatchedAt { get; set; }

    /// <summary>
    /// Dispatcher clock: when a Pending task that already had attempts (a retry, or rescued from a lost
    /// worker) may be dispatched again. Lives here, not in a timer, so backoff survives a restart.
    /// </summary>
    public DateTime? NextAttemptAt { get; set; }

    /// <summary>Dispatcher clock: when the outcome was stored.</summary>
    public DateTime? FinishedAt { get; set; }

    /// <summary>Job output as JSON text when succeeded.</summary>
    public string? Result { get; set; }

    /// <summary>Last error when failed.</summary>
    public string? Error { get; set; }

    /// <summary>Error kind when failed (e.g. <c>unknown-job-type</c>).</summary>
    public string? ErrorKind { get; set; }

    /// <summary>
    /// The producer's reply queue (a <c>workfleet.client.</c> queue the dispatcher checked), where the outcome is sent;
    /// null when the submit named none or one the dispatcher refused (the outcome is then only in the store).
    /// </summary>
    public string? ReplyTo { get; set; }

    /// <summary>The broker-validated user that submitted the task (AMQP <c>user-id</c>); null when unknown.</summary>
    public string? SubmittedBy { get; set; }

    /// <summary>
    /// The W3C trace id (32 lowercase hex digits) of the trace the task arrived in, kept for its retries and shown by the
    /// API; null when the task arrived untraced (no producer span and no exporter configured).
    /// </summary>
    public string? TraceId { get; set; }
}
