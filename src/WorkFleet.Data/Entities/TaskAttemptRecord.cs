namespace WorkFleet.Data.Entities;

/// <summary>One attempt of a task on one worker (table <c>task_attempts</c>): the history.</summary>
public sealed class TaskAttemptRecord
{
    /// <summary>The task.</summary>
    public Guid TaskId { get; set; }

    /// <summary>1-based attempt number.</summary>
    public int Attempt { get; set; }

    /// <summary>The worker it was sent to.</summary>
    public required string WorkerId { get; set; }

    /// <summary>State of this attempt.</summary>
    public AttemptState Status { get; set; }

    /// <summary>Dispatcher clock: when sent (the slot was taken at or before this).</summary>
    public DateTime DispatchedAt { get; set; }

    /// <summary>Worker clock: when the handler started.</summary>
    public DateTime? StartedAt { get; set; }

    /// <summary>Worker clock: when the handler finished.</summary>
    public DateTime? FinishedAt { get; set; }

    /// <summary>Dispatcher clock: when the result arrived (the slot was freed at or after this).</summary>
    public DateTime? CompletedAt { get; set; }

    /// <summary>
    /// Dispatcher clock: for a retryable failure that got another attempt, the earliest time that attempt
    /// could be sent (result arrival + backoff). Null otherwise.
    /// </summary>
    public DateTime? RetryAt { get; set; }

    /// <summary>Error of a failed attempt.</summary>
    public string? Error { get; set; }

    /// <summary>Error kind of a failed attempt.</summary>
    public string? ErrorKind { get; set; }
}
