namespace WorkFleet.Data.Entities;

/// <summary>Lifecycle of one attempt (stored as text).</summary>
public enum AttemptState
{
    /// <summary>Sent to the worker.</summary>
    Dispatched,

    /// <summary>The worker started it.</summary>
    Running,

    /// <summary>The worker returned a result.</summary>
    Succeeded,

    /// <summary>The worker reported a failure.</summary>
    Failed,

    /// <summary>Given up by the dispatcher (worker lost, drained back); a later attempt replaces it.</summary>
    Abandoned,
}
