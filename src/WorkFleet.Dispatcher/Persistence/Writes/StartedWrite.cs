using Microsoft.EntityFrameworkCore;
using Npgsql;
using WorkFleet.Contracts;
using WorkFleet.Data;
using WorkFleet.Data.Entities;
using static WorkFleet.Dispatcher.Persistence.Writes.SqlParameters;

namespace WorkFleet.Dispatcher.Persistence.Writes;

/// <summary>
/// Marks the current attempt Running when the report comes from the worker it was sent to; no effect on a stale or
/// finished attempt. True when the task changed.
/// </summary>
public sealed class StartedWrite(TaskStarted started) : StoreWrite<bool>
{
    private static readonly string Sql = $"""
        WITH attempt AS (
            UPDATE task_attempts SET status = '{AttemptState.Running}', started_at = $3
            WHERE task_id = $1 AND attempt = $2 AND worker_id = $4 AND status = '{AttemptState.Dispatched}'
            RETURNING 1),
        task AS (
            UPDATE tasks SET status = '{TaskState.Running}'
            WHERE id = $1 AND attempt = $2 AND status = '{TaskState.Dispatched}' AND EXISTS (SELECT 1 FROM attempt)
            RETURNING 1)
        SELECT count(*) FROM task
        """;

    /// <inheritdoc />
    public override NpgsqlBatchCommand ToCommand() => Command(Sql, Of(started.TaskId), Of(started.Attempt), Of(started.StartedAt.UtcDateTime), Of(started.WorkerId));

    /// <inheritdoc />
    public override bool FromCount(long count) => count == 1;

    /// <inheritdoc />
    public override async Task<bool> RunAsync(WorkFleetDbContext db, CancellationToken cancellationToken)
    {
        var attempt = await db.TaskAttempts
            .Where(a => a.TaskId == started.TaskId && a.Attempt == started.Attempt && a.WorkerId == started.WorkerId && a.Status == AttemptState.Dispatched)
            .ExecuteUpdateAsync(
                s => s.SetProperty(a => a.Status, AttemptState.Running).SetProperty(a => a.StartedAt, started.StartedAt.UtcDateTime),
                cancellationToken);
        if (attempt == 0)
        {
            return false;
        }

        return await db.Tasks
            .Where(t => t.Id == started.TaskId && t.Attempt == started.Attempt && t.Status == TaskState.Dispatched)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TaskState.Running), cancellationToken) == 1;
    }
}
