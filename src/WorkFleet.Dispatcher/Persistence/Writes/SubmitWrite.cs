using Microsoft.EntityFrameworkCore;
using Npgsql;
using WorkFleet.Data;
using WorkFleet.Data.Entities;
using static WorkFleet.Dispatcher.Persistence.Writes.SqlParameters;

namespace WorkFleet.Dispatcher.Persistence.Writes;

/// <summary>
/// Stores a new task unless its id is already stored (a redelivered or repeated submit). True when it was stored
/// now. A task stored as <see cref="TaskState.Dispatched"/> (its first attempt took a slot before it was ever
/// recorded) gets that attempt's history row in the same statement: one insert each instead of an insert, an update
/// of the task and an insert.
/// </summary>
public sealed class SubmitWrite(TaskRecord task) : StoreWrite<bool>
{
    private const string Insert = """
        INSERT INTO tasks (id, job_type, payload, priority, required_capabilities, timeout_ms, status, attempt,
                           submitted_at, created_at, finished_at, error, error_kind, reply_to, submitted_by,
                           worker_id, dispatched_at, trace_id, expected_cost_ms)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
        ON CONFLICT (id) DO NOTHING
        """;

    private static readonly string PendingSql = $"""
        WITH stored AS ({Insert} RETURNING 1)
        SELECT count(*) FROM stored
        """;

    private static readonly string DispatchedSql = $"""
        WITH stored AS ({Insert} RETURNING id, attempt, worker_id, dispatched_at),
        {AttemptHistory.RecordFrom("stored", "attempt", "worker_id", "dispatched_at")}
        """;

    private bool WithAttempt => task.Status == TaskState.Dispatched;

    /// <inheritdoc />
    public override NpgsqlBatchCommand ToCommand() => Command(
        WithAttempt ? DispatchedSql : PendingSql,
        Of(task.Id),
        Of(task.JobType),
        Of(task.Payload),
        Of(task.Priority),
        Of(task.RequiredCapabilities),
        Of(task.TimeoutMs),
        Of(task.Status.ToString()),
        Of(task.Attempt),
        Of(task.SubmittedAt),
        Of(task.CreatedAt),
        Of(task.FinishedAt),
        Of(task.Error),
        Of(task.ErrorKind),
        Of(task.ReplyTo),
        Of(task.SubmittedBy),
        Of(task.WorkerId),
        Of(task.DispatchedAt),
        Of(task.TraceId),
        Of(task.ExpectedCostMs));

    /// <inheritdoc />
    public override bool FromCount(long count) => count == 1;

    /// <inheritdoc />
    public override async Task<bool> RunAsync(WorkFleetDbContext db, CancellationToken cancellationToken)
    {
        if (await db.Tasks.AnyAsync(t => t.Id == task.Id, cancellationToken))
        {
            return false;
        }

        db.Tasks.Add(task);
        if (WithAttempt)
        {
            db.TaskAttempts.Add(AttemptHistory.Dispatched(task.Id, task.Attempt, task.WorkerId!, task.DispatchedAt!.Value));
        }

        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
