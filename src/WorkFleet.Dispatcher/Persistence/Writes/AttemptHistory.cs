using WorkFleet.Data.Entities;

namespace WorkFleet.Dispatcher.Persistence.Writes;

/// <summary>
/// The history row a dispatch adds to <c>task_attempts</c>, for the writes that dispatch (<see cref="DispatchWrite"/>,
/// <see cref="SubmitWrite"/>): as the tail of their SQL and as an entity for the EF Core path.
/// </summary>
internal static class AttemptHistory
{
    /// <summary>
    /// The end of a statement whose CTE <paramref name="source"/> returned the rows just dispatched: inserts a
    /// Dispatched attempt row for each and selects how many it inserted. The other arguments are SQL expressions
    /// over <paramref name="source"/> (a column or a parameter).
    /// </summary>
    public static string RecordFrom(string source, string attempt, string workerId, string dispatchedAt) => $"""
        recorded AS (
            INSERT INTO task_attempts (task_id, attempt, worker_id, status, dispatched_at)
            SELECT id, {attempt}, {workerId}, '{AttemptState.Dispatched}', {dispatchedAt} FROM {source}
            RETURNING 1)
        SELECT count(*) FROM recorded
        """;

    /// <summary>The history row of attempt <paramref name="attempt"/> of a task, dispatched to <paramref name="workerId"/>.</summary>
    public static TaskAttemptRecord Dispatched(Guid taskId, int attempt, string workerId, DateTime at) => new()
    {
        TaskId = taskId,
        Attempt = attempt,
        WorkerId = workerId,
        Status = AttemptState.Dispatched,
        DispatchedAt = at,
    };
}
