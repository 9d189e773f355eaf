namespace WorkFleet.Contracts;

/// <summary>Event from a worker: it began running an attempt.</summary>
public sealed record TaskStarted
{
    /// <summary>The task.</summary>
    public required Guid TaskId { get; init; }

    /// <summary>The attempt that started.</summary>
    public required int Attempt { get; init; }

    /// <summary>The worker running it.</summary>
    public required string WorkerId { get; init; }

    /// <summary>Worker clock.</summary>
    public DateTimeOffset StartedAt { get; init; }
}
