namespace WorkFleet.Contracts;

/// <summary>Event from a worker: an attempt failed.</summary>
public sealed record TaskFailed
{
    /// <summary>The task.</summary>
    public required Guid TaskId { get; init; }

    /// <summary>The attempt that failed.</summary>
    public required int Attempt { get; init; }

    /// <summary>The worker that ran it.</summary>
    public required string WorkerId { get; init; }

    /// <summary>Human-readable error that names the problem.</summary>
    public required string Error { get; init; }

    /// <summary>Machine-readable error kind, e.g. <c>unknown-job-type</c>, <c>invalid-input</c>, <c>timeout</c>, <c>handler-error</c>.</summary>
    public required string ErrorKind { get; init; }

    /// <summary>Whether another attempt may succeed (transient failure).</summary>
    public bool Retryable { get; init; }

    /// <summary>Worker clock, when the handler started (or the message was rejected).</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Worker clock, when the failure was detected.</summary>
    public DateTimeOffset FinishedAt { get; init; }
}
