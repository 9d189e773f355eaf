using Microsoft.EntityFrameworkCore;
using Npgsql;
using WorkFleet.Data;
using WorkFleet.Data.Entities;
using static WorkFleet.Dispatcher.Persistence.Writes.SqlParameters;

namespace WorkFleet.Dispatcher.Persistence.Writes;

/// <summary>Fails a task that never reached a worker (invalid, or nothing can run it). False if it was not Pending.</summary>
public sealed class FailPendingWrite(Guid taskId, string error, string errorKind, DateTime at) : StoreWrite<bool>
{
    private static readonly string Sql = $"""
        WITH failed AS (
            UPDATE tasks SET status = '{TaskState.Failed}', error = $2, error_kind = $3, finished_at = $4
            WHERE id = $1 AND status = '{TaskState.Pending}'
            RETURNING 1)
        SELECT count(*) FROM failed
        """;

    /// <inheritdoc />
    public override NpgsqlBatchCommand ToCommand() => Command(Sql, Of(taskId), Of(error), Of(errorKind), Of(at));

    /// <inheritdoc />
    public override bool FromCount(long count) => count == 1;

    /// <inheritdoc />
    public override async Task<bool> RunAsync(WorkFleetDbContext db, CancellationToken cancellationToken) =>
        await db.Tasks
            .Where(t => t.Id == taskId && t.Status == TaskState.Pending)
            .ExecuteUpdateAsync(
                s => s.SetProperty(t => t.Status, TaskState.Failed)
                    .SetProperty(t => t.Error, error)
                    .SetProperty(t => t.ErrorKind, errorKind)
                    .SetProperty(t => t.FinishedAt, at),
                cancellationToken) == 1;
}
