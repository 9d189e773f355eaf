namespace WorkFleet.Contracts;

/// <summary>
/// Command (published to every dispatcher and worker): stop a task. A task still waiting fails at once;
/// a running one has its handler cancelled; one already finished keeps its outcome.
/// </summary>
public sealed record CancelTask
{
    /// <summary>The task to cancel.</summary>
    public required Guid TaskId { get; init; }

    /// <summary>Why, for the stored error (optional).</summary>
    public string? Reason { get; init; }
}
