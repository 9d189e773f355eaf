namespace WorkFleet.Dispatcher.Persistence;

/// <summary>What storing a worker's result did to the task.</summary>
public enum ResultDisposition
{
    /// <summary>It decided the task's outcome.</summary>
    Decided,

    /// <summary>A retryable failure: the task waits for its next attempt.</summary>
    RetryScheduled,

    /// <summary>A duplicate, or the result of an attempt that is no longer current: history only.</summary>
    Superseded,
}
