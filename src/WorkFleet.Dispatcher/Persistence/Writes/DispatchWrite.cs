using Microsoft.EntityFrameworkCore;
using Npgsql;
using WorkFleet.Data;
using WorkFleet.Data.Entities;
using static WorkFleet.Dispatcher.Persistence.Writes.SqlParameters;

namespace WorkFleet.Dispatcher.Persistence.Writes;

/// <summary>
/// Marks a task Dispatched as attempt <paramref name="attempt"/> on <paramref name="workerId"/> and adds the attempt
/// to its history. False when the task was no longer Pending at attempt − 1 (dispatched concurrently elsewhere).
/// </summary>
public sealed class DispatchWrite(Guid taskId, int attempt, string workerId, DateTime at) : StoreWrite<bool>
{
    private static readonly string Sql = $"""
        WITH dispatched AS (
            UPDATE tasks
            SET status = '{TaskState.Dispatched}', next_attempt_at = NULL, attempt = $2, worker_id = $3, dispatched_at = $4
            WHERE id = $1 AND status = '{TaskState.Pending}' AND attempt = $2 - 1
            RETURNING id),
        {AttemptHistory.RecordFrom("dispatched", "$2", "$3", "$4")}
        """;

    /// <inheritdoc />
    public override NpgsqlBatchCommand ToCommand() => Command(Sql, Of(taskId), Of(attempt), Of(workerId), Of(at));

    /// <inheritdoc />
    public override bool FromCount(long count) => count == 1;

    /// <inheritdoc />
    public override async Task<bool> RunAsync(WorkFleetDbContext db, CancellationToken cancellationToken)
    {
        var updated = await db.Tasks
            .Where(t => t.Id == taskId && t.Status == TaskState.Pending && t.Attempt == attempt - 1)
            .ExecuteUpdateAsync(
                s => s.SetProperty(t => t.Status, TaskState.Dispatched)
                    .SetProperty(t => t.NextAttemptAt, (DateTime?)null)
                    .SetProperty(t => t.Attempt, attempt)
                    .SetProperty(t => t.WorkerId, workerId)
                    .SetProperty(t => t.DispatchedAt, at),
                cancellationToken);
        if (updated == 0)
        {
            return false;
        }

        db.TaskAttempts.Add(AttemptHistory.Dispatched(taskId, attempt, workerId, at));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
