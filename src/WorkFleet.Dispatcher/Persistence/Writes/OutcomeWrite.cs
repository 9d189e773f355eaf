using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using WorkFleet.Data;
using WorkFleet.Data.Entities;
using WorkFleet.Dispatcher.Dispatching;
using static WorkFleet.Dispatcher.Persistence.Writes.SqlParameters;

namespace WorkFleet.Dispatcher.Persistence.Writes;

/// <summary>
/// Stores a worker's result for an attempt. The first terminal result of an open attempt ends it, and it changes the
/// task only when that attempt is the task's current one (fencing): the task is decided, or with
/// <see cref="RetryAt"/> it goes back to Pending until then. A duplicate, or a late result of an abandoned attempt,
/// is kept in the history only. A result counts only from the worker the attempt was sent to: one naming another
/// worker changes nothing. A result that decides the task also reads its reply route, in the same statement.
/// </summary>
public sealed class OutcomeWrite : StoreWrite<RecordedResult>
{
    private static readonly string Open = $"'{TaskState.Dispatched}', '{TaskState.Running}'";

    // $1 task, $2 attempt, $3 started, $4 finished, $5 received, $6 retry at, $7 error, $8 error kind,
    // $9 attempt status, $10 error noted on a late result, $11 worker, then the task's change.
    private static readonly string EndAttempt = $"""
        WITH ended AS (
            UPDATE task_attempts
            SET status = $9, started_at = $3, finished_at = $4, completed_at = $5, retry_at = $6, error = $7, error_kind = $8
            WHERE task_id = $1 AND attempt = $2 AND worker_id = $11 AND status IN ({Open})
            RETURNING 1),
        late AS (
            UPDATE task_attempts SET started_at = $3, finished_at = $4, completed_at = $5, error = $10
            WHERE task_id = $1 AND attempt = $2 AND worker_id = $11 AND status = '{AttemptState.Abandoned}' AND completed_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM ended)
            RETURNING 1),
        """;

    private static readonly string CurrentAttempt = $"WHERE id = $1 AND attempt = $2 AND status IN ({Open}) AND EXISTS (SELECT 1 FROM ended)";

    // $12 task status, $13 result.
    private static readonly string DecideSql = $"""
        {EndAttempt}
        changed AS (
            UPDATE tasks SET status = $12, result = $13, error = $7, error_kind = $8, finished_at = $5
            {CurrentAttempt}
            RETURNING reply_to, submitted_by)
        SELECT count(*), max(reply_to), max(submitted_by) FROM changed
        """;

    private static readonly string RetrySql = $"""
        {EndAttempt}
        changed AS (
            UPDATE tasks SET status = '{TaskState.Pending}', next_attempt_at = $6, error = $7, error_kind = $8
            {CurrentAttempt}
            RETURNING 1)
        SELECT count(*) FROM changed
        """;

    /// <summary>The task.</summary>
    public required Guid TaskId { get; init; }

    /// <summary>The attempt the result belongs to.</summary>
    public required int Attempt { get; init; }

    /// <summary>The worker that reported the result; it must be the one the attempt was sent to.</summary>
    public required string WorkerId { get; init; }

    /// <summary>When the worker started the attempt.</summary>
    public required DateTime StartedAt { get; init; }

    /// <summary>When the worker finished it.</summary>
    public required DateTime FinishedAt { get; init; }

    /// <summary>When the dispatcher received the result.</summary>
    public required DateTime ReceivedAt { get; init; }

    /// <summary>Succeeded or Failed; the task's outcome is the same.</summary>
    public required bool Succeeded { get; init; }

    /// <summary>The job's result (successes).</summary>
    public string? Result { get; init; }

    /// <summary>The failure's message.</summary>
    public string? Error { get; init; }

    /// <summary>The failure's kind (<see cref="Contracts.ErrorKinds"/>).</summary>
    public string? ErrorKind { get; init; }

    /// <summary>For a failure that will be retried: when the next attempt is due.</summary>
    public DateTime? RetryAt { get; init; }

    private AttemptState AttemptOutcome => Succeeded ? AttemptState.Succeeded : AttemptState.Failed;

    private TaskState TaskOutcome => Succeeded ? TaskState.Succeeded : TaskState.Failed;

    private string LateError => $"late {AttemptOutcome} result after the attempt was abandoned" + (Error is null ? "" : $": {Error}");

    /// <inheritdoc />
    public override NpgsqlBatchCommand ToCommand()
    {
        NpgsqlParameter[] attempt =
        [
            Of(TaskId), Of(Attempt), Of(StartedAt), Of(FinishedAt), Of(ReceivedAt), Of(RetryAt), Of(Error), Of(ErrorKind),
            Of(AttemptOutcome.ToString()), Of(LateError), Of(WorkerId),
        ];
        return RetryAt is null ? Command(DecideSql, [.. attempt, Of(TaskOutcome.ToString()), Of(Result)]) : Command(RetrySql, attempt);
    }

    /// <inheritdoc />
    public override RecordedResult FromCount(long count) => new(
        count == 0 ? ResultDisposition.Superseded
        : RetryAt is null ? ResultDisposition.Decided
        : ResultDisposition.RetryScheduled,
        ReplyRoute.None);

    /// <inheritdoc />
    public override RecordedResult FromRow(DbDataReader row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var recorded = FromCount(row.GetInt64(0));
        return recorded.Disposition == ResultDisposition.Decided
            ? recorded with { Route = new ReplyRoute(TextOrNull(row, 1), TextOrNull(row, 2)) }
            : recorded;
    }

    /// <inheritdoc />
    public override async Task<RecordedResult> RunAsync(WorkFleetDbContext db, CancellationToken cancellationToken)
    {
        var ended = await db.TaskAttempts
            .Where(a => a.TaskId == TaskId && a.Attempt == Attempt && a.WorkerId == WorkerId && (a.Status == AttemptState.Dispatched || a.Status == AttemptState.Running))
            .ExecuteUpdateAsync(
                s => s.SetProperty(a => a.Status, AttemptOutcome)
                    .SetProperty(a => a.StartedAt, StartedAt)
                    .SetProperty(a => a.FinishedAt, FinishedAt)
                    .SetProperty(a => a.CompletedAt, ReceivedAt)
                    .SetProperty(a => a.RetryAt, RetryAt)
                    .SetProperty(a => a.Error, Error)
                    .SetProperty(a => a.ErrorKind, ErrorKind),
                cancellationToken);
        if (ended == 0)
        {
            await db.TaskAttempts
                .Where(a => a.TaskId == TaskId && a.Attempt == Attempt && a.WorkerId == WorkerId && a.Status == AttemptState.Abandoned && a.CompletedAt == null)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(a => a.StartedAt, StartedAt)
                        .SetProperty(a => a.FinishedAt, FinishedAt)
                        .SetProperty(a => a.CompletedAt, ReceivedAt)
                        .SetProperty(a => a.Error, LateError),
                    cancellationToken);
            return FromCount(0);
        }

        var current = db.Tasks.Where(t => t.Id == TaskId && t.Attempt == Attempt && (t.Status == TaskState.Dispatched || t.Status == TaskState.Running));
        var changed = RetryAt is { } due
            ? await current.ExecuteUpdateAsync(
                s => s.SetProperty(t => t.Status, TaskState.Pending)
                    .SetProperty(t => t.NextAttemptAt, due)
                    .SetProperty(t => t.Error, Error)
                    .SetProperty(t => t.ErrorKind, ErrorKind),
                cancellationToken)
            : await current.ExecuteUpdateAsync(
                s => s.SetProperty(t => t.Status, TaskOutcome)
                    .SetProperty(t => t.Result, Result)
                    .SetProperty(t => t.Error, Error)
                    .SetProperty(t => t.ErrorKind, ErrorKind)
                    .SetProperty(t => t.FinishedAt, ReceivedAt),
                cancellationToken);
        var recorded = FromCount(changed);
        if (recorded.Disposition != ResultDisposition.Decided)
        {
            return recorded;
        }

        var route = await db.Tasks.Where(t => t.Id == TaskId).Select(t => new ReplyRoute(t.ReplyTo, t.SubmittedBy)).FirstAsync(cancellationToken);
        return recorded with { Route = route };
    }

    private static string? TextOrNull(DbDataReader row, int column) => row.IsDBNull(column) ? null : row.GetString(column);
}
