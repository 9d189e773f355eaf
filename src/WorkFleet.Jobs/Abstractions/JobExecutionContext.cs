namespace WorkFleet.Jobs;

/// <summary>
/// Which task and attempt the current handler call serves, for handlers that care (idempotency keys,
/// logging, attempt-aware behaviour). Set by the worker around each call; null outside one.
/// </summary>
/// <param name="TaskId">The task.</param>
/// <param name="Attempt">1-based attempt number.</param>
/// <param name="WorkerId">The worker running it.</param>
public sealed record JobExecutionContext(Guid TaskId, int Attempt, string WorkerId)
{
    private static readonly AsyncLocal<JobExecutionContext?> CurrentContext = new();

    /// <summary>The context of the handler call on this async flow, if any.</summary>
    public static JobExecutionContext? Current
    {
        get => CurrentContext.Value;
        set => CurrentContext.Value = value;
    }
}
