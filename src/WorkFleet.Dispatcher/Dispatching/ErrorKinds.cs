namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>Error kinds the dispatcher itself assigns (workers add their own, e.g. <c>invalid-input</c>).</summary>
public static class ErrorKinds
{
    /// <summary>The submit message broke a rule (missing job type, priority out of range, payload too large …).</summary>
    public const string InvalidTask = "invalid-task";

    /// <summary>No live worker supports the job type and required capabilities.</summary>
    public const string NoCapableWorker = "no-capable-worker";
}
