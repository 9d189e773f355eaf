using System.Text.Json;

namespace WorkFleet.Contracts;

/// <summary>Event from a worker: an attempt finished successfully.</summary>
public sealed record TaskCompleted
{
    /// <summary>The task.</summary>
    public required Guid TaskId { get; init; }

    /// <summary>The attempt this result belongs to; only the task's current attempt can set its outcome.</summary>
    public required int Attempt { get; init; }

    /// <summary>The worker that ran it.</summary>
    public required string WorkerId { get; init; }

    /// <summary>Job output as a JSON value.</summary>
    public JsonElement Result { get; init; } = JsonNull.Value;

    /// <summary>Worker clock, when the handler started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Worker clock, when the handler returned.</summary>
    public DateTimeOffset FinishedAt { get; init; }
}
