using Microsoft.EntityFrameworkCore;
using Npgsql;
using WorkFleet.Data;
using WorkFleet.Data.Entities;
using static WorkFleet.Dispatcher.Persistence.Writes.SqlParameters;

namespace WorkFleet.Dispatcher.Persistence.Writes;

/// <summary>
/// Takes back an attempt recorded as dispatched but never sent: the attempt becomes Abandoned and the task Pending,
/// due at <paramref name="at"/>. False when the attempt is no longer the open, current one.
/// </summary>
public sealed class ReturnUnsentWrite(Guid taskId, int attempt, string reason, DateTime at) : StoreWrite<bool>
{
    private const string ErrorKind = "not-sent";

    private static readonly string Sql = $"""
        WITH returned AS (
            UPDATE tasks SET status = '{TaskState.Pending}', next_attempt_at = $3
            WHERE id = $1 AND attempt = $2 AND status = '{TaskState.Dispatched}'
            RETURNING id),
        abandoned AS (
            UPDATE task_attempts SET status = '{AttemptState.Abandoned}', error = $4, error_kind = '{ErrorKind}'
            WHERE task_id IN (SELECT id FROM returned) AND attempt = $2 AND status = '{AttemptState.Dispatched}'
            RETURNING 1)
        SELECT count(*) FROM returned
        """;

    /// <inheritdoc />
    public override NpgsqlBatchCommand ToCommand() => Command(Sql, Of(taskId), Of(attempt), Of(at), Of(reason));

    /// <inheritdoc />
    public override bool FromCount(long count) => count == 1;

    /// <inheritdoc />
    public override async Task<bool> RunAsync(WorkFleetDbContext db, CancellationToken cancellationToken)
    {
        var returned = await db.Tasks
            .Where(t => t.Id == taskId && t.Attempt == attempt && t.Status == TaskState.Dispatched)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TaskState.Pending).SetProperty(t => t.NextAttemptAt, at), cancellationToken);
        if (returned == 0)
        {
            return false;
        }

        await db.TaskAttempts
            .Where(a => a.TaskId == taskId && a.Attempt == attempt && a.Status == AttemptState.Dispatched)
            .ExecuteUpdateAsync(
                s => s.SetProperty(a => a.Status, AttemptState.Abandoned).SetProperty(a => a.Error, reason).SetProperty(a => a.ErrorKind, ErrorKind),
                cancellationToken);
        return true;
    }
}
