namespace WorkFleet.Dashboard.Status;

/// <summary>One attempt of a task.</summary>
/// <param name="Attempt">Its number.</param>
/// <param name="WorkerId">Where it was sent.</param>
/// <param name="Status"><c>Dispatched</c>, <c>Running</c>, <c>Succeeded</c>, <c>Failed</c> or <c>Abandoned</c>.</param>
/// <param name="DispatchedAt">When it was sent.</param>
/// <param name="StartedAt">Worker clock: when its handler started.</param>
/// <param name="FinishedAt">Worker clock: when its handler returned.</param>
/// <param name="RetryAt">When the next attempt was due, for a retried failure.</param>
/// <param name="Error">Its error.</param>
/// <param name="ErrorKind">The error's kind.</param>
public sealed record AttemptDetails(
    int Attempt,
    string WorkerId,
    string Status,
    DateTime DispatchedAt,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    DateTime? RetryAt,
    string? Error,
    string? ErrorKind);
