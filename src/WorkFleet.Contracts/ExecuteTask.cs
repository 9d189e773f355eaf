using System.Text.Json;

namespace WorkFleet.Contracts;

/// <summary>
/// Command from the dispatcher to one worker's queue (<c>workfleet.worker.&lt;id&gt;</c>): run attempt
/// <see cref="Attempt"/> of a task.
/// </summary>
public sealed record ExecuteTask
{
    /// <summary>The task to run.</summary>
    public required Guid TaskId { get; init; }

    /// <summary>1-based attempt number; results carry it back so late results of older attempts are fenced off.</summary>
    public required int Attempt { get; init; }

    /// <summary>The worker the dispatcher chose.</summary>
    public required string WorkerId { get; init; }

    /// <summary>Registered job type.</summary>
    public required string JobType { get; init; }

    /// <summary>Job input as submitted.</summary>
    public JsonElement Payload { get; init; } = JsonNull.Value;

    /// <summary>Execution limit for this attempt; <c>null</c> uses the worker's default.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>When the dispatcher sent the task (dispatcher clock).</summary>
    public DateTimeOffset DispatchedAt { get; init; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the dispatcher's span for this attempt, or null when it was not traced: the worker's
    /// job span is its child, so the attempt stays in its task's trace even when it travels in an
    /// <see cref="ExecuteTaskBatch"/> with other tasks.
    /// </summary>
    public string? TraceParent { get; init; }
}
