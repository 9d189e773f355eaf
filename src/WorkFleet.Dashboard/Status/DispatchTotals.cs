namespace WorkFleet.Dashboard.Status;

/// <summary>What this dispatcher decided since it started.</summary>
/// <param name="AttemptsDispatched">Attempts sent to workers.</param>
/// <param name="Succeeded">Tasks that succeeded.</param>
/// <param name="Failed">Tasks that failed, all kinds.</param>
/// <param name="FailedByKind">Failed tasks per error kind.</param>
/// <param name="RetriesScheduled">Retryable failures given another attempt.</param>
/// <param name="TasksRescued">Unfinished tasks taken back from departed workers.</param>
public sealed record DispatchTotals(
    long AttemptsDispatched,
    long Succeeded,
    long Failed,
    IReadOnlyDictionary<string, long> FailedByKind,
    long RetriesScheduled,
    long TasksRescued);
