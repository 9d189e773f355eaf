namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>Where a task's outcome goes: the reply queue stored with it, and the user that submitted it.</summary>
/// <param name="ReplyTo">The reply queue's name, or null (no message: the outcome is only in the store).</param>
/// <param name="SubmittedBy">The broker-validated user that submitted the task, or null when unknown.</param>
public sealed record ReplyRoute(string? ReplyTo, string? SubmittedBy)
{
    /// <summary>No reply queue.</summary>
    public static ReplyRoute None { get; } = new(null, null);
}
