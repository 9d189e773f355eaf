namespace WorkFleet.Contracts;

/// <summary>Terminal outcome of a task.</summary>
public enum TaskOutcome
{
    /// <summary>The job returned a result.</summary>
    Succeeded,

    /// <summary>The job failed for good (non-retryable, attempts exhausted, invalid or unroutable).</summary>
    Failed,
}
