using System.Text.Json;

namespace WorkFleet.Contracts;

/// <summary>
/// Event for producers, published by the dispatcher once a task's outcome is stored: exactly one per task
/// outcome (redelivery may repeat it; <see cref="TaskId"/> identifies it).
/// </summary>
public sealed record TaskFinished
{
    /// <summary>The task.</summary>
    public required Guid TaskId { get; init; }

    /// <summary><c>Succeeded</c> or <c>Failed</c>.</summary>
    public required TaskOutcome Outcome { get; init; }

    /// <summary>Job output when succeeded.</summary>
    public JsonElement? Result { get; init; }

    /// <summary>Last error when failed.</summary>
    public string? Error { get; init; }

    /// <summary>Error kind when failed (see <see cref="TaskFailed.ErrorKind"/>).</summary>
    public string? ErrorKind { get; init; }

    /// <summary>The attempt that decided the outcome.</summary>
    public int Attempt { get; init; }

    /// <summary>The worker that ran the deciding attempt, if any.</summary>
    public string? WorkerId { get; init; }

    /// <summary>Dispatcher clock, when the outcome was stored.</summary>
    public DateTimeOffset FinishedAt { get; init; }
}
