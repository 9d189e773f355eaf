namespace WorkFleet.Data.Entities;

/// <summary>Lifecycle of a task (stored as text).</summary>
public enum TaskState
{
    /// <summary>Recorded, waiting for a worker with a free slot.</summary>
    Pending,

    /// <summary>Sent to a worker's queue as the current attempt.</summary>
    Dispatched,

    /// <summary>The worker reported it started the current attempt.</summary>
    Running,

    /// <summary>Terminal: the job returned a result.</summary>
    Succeeded,

    /// <summary>Terminal: failed for good; <see cref="TaskRecord.Error"/> says why.</summary>
    Failed,
}
