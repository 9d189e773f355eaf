using System.Text.Json;

namespace WorkFleet.Dashboard.Status;

/// <summary>The body of <c>GET /api/tasks/{id}</c>: a task's stored state, outcome and every attempt.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="JobType">Its job type.</param>
/// <param name="Status"><c>Pending</c>, <c>Dispatched</c>, <c>Running</c>, <c>Succeeded</c> or <c>Failed</c>.</param>
/// <param name="Attempt">Current attempt (0 before the first dispatch).</param>
/// <param name="WorkerId">Worker of the current attempt.</param>
/// <param name="Priority">0..9.</param>
/// <param name="SubmittedAt">Producer clock.</param>
/// <param name="FinishedAt">When the outcome was stored.</param>
/// <param name="NextAttemptAt">When a waiting retry is due.</param>
/// <param name="Result">The job's output when it succeeded; null when it is larger than the API's limit (see <paramref name="ResultOmitted"/>).</param>
/// <param name="ResultOmitted">Set when the result was left out for its size: its size and how to fetch it whole.</param>
/// <param name="Error">The last error when it failed.</param>
/// <param name="ErrorKind">The error's kind.</param>
/// <param name="PayloadBytes">Size of the stored input.</param>
/// <param name="Attempts">Every attempt, first to last.</param>
/// <param name="TraceId">The W3C trace id the task arrived in (its spans, retries included, are in that trace); null when untraced.</param>
public sealed record TaskDetails(
    Guid TaskId,
    string JobType,
    string Status,
    int Attempt,
    string? WorkerId,
    int Priority,
    DateTime SubmittedAt,
    DateTime? FinishedAt,
    DateTime? NextAttemptAt,
    JsonElement? Result,
    ResultOmitted? ResultOmitted,
    string? Error,
    string? ErrorKind,
    int PayloadBytes,
    IReadOnlyList<AttemptDetails> Attempts,
    string? TraceId);
