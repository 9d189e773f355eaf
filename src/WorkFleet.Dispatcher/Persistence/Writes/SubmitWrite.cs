using Microsoft.EntityFrameworkCore;
using Npgsql;
using WorkFleet.Data;
using WorkFleet.Data.Entities;
using static WorkFleet.Dispatcher.Persistence.Writes.SqlParameters;

namespace WorkFleet.Dispatcher.Persistence.Writes;

/// <summary>Stores a new task unless its id is already stored (a redelivered submit). True when it was stored now.</summary>
public sealed class SubmitWrite(TaskRecord task) : StoreWrite<bool>
{
    private const string Sql = """
        WITH stored AS (
            INSERT INTO tasks (id, job_type, payload, priority, required_capabilities, timeout_ms, status, attempt,
                               submitted_at, created_at, finished_at, error, error_kind, reply_to, submitted_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            ON CONFLICT (id) DO NOTHING
            RETURNING 1)
        SELECT count(*) FROM stored
        """;

    /// <inheritdoc />
    public override NpgsqlBatchCommand ToCommand() => Command(
        Sql,
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
        Of(task.SubmittedBy));

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
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
