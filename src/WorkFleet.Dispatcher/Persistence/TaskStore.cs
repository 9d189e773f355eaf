using Microsoft.EntityFrameworkCore;
using WorkFleet.Balancing;
using WorkFleet.Contracts;
using WorkFleet.Data;
using WorkFleet.Data.Entities;

namespace WorkFleet.Dispatcher.Persistence;

/// <summary>
/// Every state change of a task, as one conditional write each. Conditions on (status, attempt) make the
/// writes idempotent under redelivery and fence off results of attempts that are no longer current, and safe to
/// run again after a rollback, which lets the hot-path writes share transactions (<see cref="GroupCommitWriter"/>).
/// </summary>
public sealed class TaskStore(IDbContextFactory<WorkFleetDbContext> contexts, GroupCommitWriter writer)
{
    private static readonly TaskState[] Open = [TaskState.Dispatched, TaskState.Running];
    private static readonly AttemptState[] OpenAttempt = [AttemptState.Dispatched, AttemptState.Running];

    /// <summary>Records a new task as Pending, or returns the stored one when the id is known (redelivery).</summary>
    public async Task<TaskRecord> RecordSubmittedAsync(TaskRecord task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            return await writer.WriteAsync(
                async (db, token) =>
                {
                    if (await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == task.Id, token) is { } existing)
                    {
                        return existing;
                    }

                    db.Tasks.Add(task);
                    await db.SaveChangesAsync(token);
                    return task;
                },
                cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Lost a race with a concurrent redelivery of the same id: the stored row is the truth.
            await using var fresh = await contexts.CreateDbContextAsync(cancellationToken);
            return await fresh.Tasks.AsNoTracking().FirstAsync(t => t.Id == task.Id, cancellationToken);
        }
    }

    /// <summary>
    /// Marks the task Dispatched as attempt <paramref name="attempt"/> on <paramref name="workerId"/> and adds
    /// the attempt to the history. Returns false when the task was no longer Pending at attempt − 1.
    /// </summary>
    public Task<bool> RecordDispatchAsync(Guid taskId, int attempt, string workerId, DateTime at, CancellationToken cancellationToken) =>
        writer.WriteAsync((db, token) => RecordDispatchAsync(db, taskId, attempt, workerId, at, token), cancellationToken);

    private static async Task<bool> RecordDispatchAsync(WorkFleetDbContext db, Guid taskId, int attempt, string workerId, DateTime at, CancellationToken cancellationToken)
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

        db.TaskAttempts.Add(new TaskAttemptRecord
        {
            TaskId = taskId,
            Attempt = attempt,
            WorkerId = workerId,
            Status = AttemptState.Dispatched,
            DispatchedAt = at,
        });
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Takes back attempt <paramref name="attempt"/> that was recorded as dispatched but could not be sent (the
    /// broker was unreachable): the attempt becomes Abandoned and the task Pending, due now, so it is dispatched
    /// again as the next attempt from the store. Returns false when the attempt is no longer the open, current one.
    /// </summary>
    public Task<bool> ReturnUnsentAsync(Guid taskId, int attempt, string reason, DateTime at, CancellationToken cancellationToken) =>
        writer.WriteAsync((db, token) => ReturnUnsentAsync(db, taskId, attempt, reason, at, token), cancellationToken);

    private static async Task<bool> ReturnUnsentAsync(WorkFleetDbContext db, Guid taskId, int attempt, string reason, DateTime at, CancellationToken cancellationToken)
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
                s => s.SetProperty(a => a.Status, AttemptState.Abandoned).SetProperty(a => a.Error, reason).SetProperty(a => a.ErrorKind, "not-sent"),
                cancellationToken);
        return true;
    }

    /// <summary>Marks the current attempt Running (no effect on stale or finished attempts).</summary>
    public Task RecordStartedAsync(TaskStarted started, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(started);
        return writer.WriteAsync((db, token) => RecordStartedAsync(db, started, token), cancellationToken);
    }

    private static async Task<bool> RecordStartedAsync(WorkFleetDbContext db, TaskStarted started, CancellationToken cancellationToken)
    {
        await db.TaskAttempts
            .Where(a => a.TaskId == started.TaskId && a.Attempt == started.Attempt && a.Status == AttemptState.Dispatched)
            .ExecuteUpdateAsync(
                s => s.SetProperty(a => a.Status, AttemptState.Running).SetProperty(a => a.StartedAt, started.StartedAt.UtcDateTime),
                cancellationToken);
        await db.Tasks
            .Where(t => t.Id == started.TaskId && t.Attempt == started.Attempt && t.Status == TaskState.Dispatched)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TaskState.Running), cancellationToken);
        return true;
    }

    /// <summary>
    /// Stores a success: it decides the outcome when it belongs to the task's current, open attempt; a
    /// duplicate or a late result of a superseded attempt is kept in the history only.
    /// </summary>
    public Task<ResultDisposition> RecordCompletedAsync(TaskCompleted completed, DateTime receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completed);
        var result = completed.Result.ValueKind == System.Text.Json.JsonValueKind.Undefined ? "null" : completed.Result.GetRawText();
        return writer.WriteAsync((db, token) => RecordOutcomeAsync(
            db,
            completed.TaskId,
            completed.Attempt,
            completed.StartedAt.UtcDateTime,
            completed.FinishedAt.UtcDateTime,
            receivedAt,
            AttemptState.Succeeded,
            TaskState.Succeeded,
            result,
            error: null,
            errorKind: null,
            retryAt: null,
            token),
            cancellationToken);
    }

    /// <summary>
    /// Stores a failure of an attempt: with <paramref name="retryAt"/> the task goes back to Pending until
    /// then (the next attempt's number is one higher); without, the failure is its outcome.
    /// </summary>
    public Task<ResultDisposition> RecordFailedAsync(TaskFailed failed, DateTime receivedAt, DateTime? retryAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failed);
        return writer.WriteAsync((db, token) => RecordOutcomeAsync(
            db,
            failed.TaskId,
            failed.Attempt,
            failed.StartedAt.UtcDateTime,
            failed.FinishedAt.UtcDateTime,
            receivedAt,
            AttemptState.Failed,
            TaskState.Failed,
            result: null,
            failed.Error,
            failed.ErrorKind,
            retryAt,
            token),
            cancellationToken);
    }

    /// <summary>Fails a task that never reached a worker (invalid, or nothing can run it). Returns false if it was not Pending.</summary>
    public Task<bool> FailPendingAsync(Guid taskId, string error, string errorKind, DateTime at, CancellationToken cancellationToken) =>
        writer.WriteAsync(
            async (db, token) => await db.Tasks
                .Where(t => t.Id == taskId && t.Status == TaskState.Pending)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(t => t.Status, TaskState.Failed)
                        .SetProperty(t => t.Error, error)
                        .SetProperty(t => t.ErrorKind, errorKind)
                        .SetProperty(t => t.FinishedAt, at),
                    token) == 1,
            cancellationToken);

    /// <summary>
    /// Takes back every open attempt of a worker that is gone: the attempts become Abandoned and their
    /// tasks Pending, due now, so they are dispatched again as the next attempt. Returns how many.
    /// </summary>
    public async Task<int> RescueAsync(string workerId, string reason, DateTime at, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.TaskAttempts
            .Where(a => a.WorkerId == workerId && OpenAttempt.Contains(a.Status))
            .ExecuteUpdateAsync(
                s => s.SetProperty(a => a.Status, AttemptState.Abandoned).SetProperty(a => a.Error, reason).SetProperty(a => a.ErrorKind, ErrorKinds.WorkerLost),
                cancellationToken);
        var rescued = await db.Tasks
            .Where(t => t.WorkerId == workerId && Open.Contains(t.Status))
            .ExecuteUpdateAsync(
                s => s.SetProperty(t => t.Status, TaskState.Pending).SetProperty(t => t.NextAttemptAt, at),
                cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return rescued;
    }

    /// <summary>
    /// The task when attempt <paramref name="attempt"/> decided its outcome (it ended Succeeded or Failed at that
    /// attempt); otherwise null.
    /// </summary>
    public async Task<TaskRecord?> FindDecidedByAsync(Guid taskId, int attempt, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Tasks.AsNoTracking()
            .FirstOrDefaultAsync(t => t.Id == taskId && t.Attempt == attempt && (t.Status == TaskState.Succeeded || t.Status == TaskState.Failed), cancellationToken);
    }

    /// <summary>Tasks waiting for another attempt whose time has come, highest priority first.</summary>
    public async Task<IReadOnlyList<TaskRecord>> LoadDueAsync(DateTime now, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Tasks.AsNoTracking()
            .Where(t => t.Status == TaskState.Pending && t.Attempt > 0 && t.NextAttemptAt <= now)
            .OrderByDescending(t => t.Priority).ThenBy(t => t.NextAttemptAt)
            .Take(limit)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Attempts sent to workers whose outcome is still open: the ledger to rebuild at start.</summary>
    public async Task<IReadOnlyList<(string WorkerId, AssignmentKey Key)>> LoadOutstandingAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Tasks.AsNoTracking()
            .Where(t => Open.Contains(t.Status) && t.WorkerId != null)
            .Select(t => new { t.Id, t.Attempt, t.WorkerId })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => (r.WorkerId!, new AssignmentKey(r.Id, r.Attempt)))];
    }

    private static async Task<ResultDisposition> RecordOutcomeAsync(
        WorkFleetDbContext db,
        Guid taskId,
        int attempt,
        DateTime startedAt,
        DateTime finishedAt,
        DateTime receivedAt,
        AttemptState attemptState,
        TaskState taskState,
        string? result,
        string? error,
        string? errorKind,
        DateTime? retryAt,
        CancellationToken cancellationToken)
    {
        // First terminal result of an attempt wins; later duplicates change nothing.
        var attemptUpdated = await db.TaskAttempts
            .Where(a => a.TaskId == taskId && a.Attempt == attempt && OpenAttempt.Contains(a.Status))
            .ExecuteUpdateAsync(
                s => s.SetProperty(a => a.Status, attemptState)
                    .SetProperty(a => a.StartedAt, startedAt)
                    .SetProperty(a => a.FinishedAt, finishedAt)
                    .SetProperty(a => a.CompletedAt, receivedAt)
                    .SetProperty(a => a.RetryAt, retryAt)
                    .SetProperty(a => a.Error, error)
                    .SetProperty(a => a.ErrorKind, errorKind),
                cancellationToken);

        if (attemptUpdated == 0)
        {
            // Keep a late result of an abandoned attempt in the history without changing anything else.
            await db.TaskAttempts
                .Where(a => a.TaskId == taskId && a.Attempt == attempt && a.Status == AttemptState.Abandoned && a.CompletedAt == null)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(a => a.StartedAt, startedAt)
                        .SetProperty(a => a.FinishedAt, finishedAt)
                        .SetProperty(a => a.CompletedAt, receivedAt)
                        .SetProperty(a => a.Error, $"late {attemptState} result after the attempt was abandoned" + (error is null ? "" : $": {error}")),
                    cancellationToken);
            return ResultDisposition.Superseded;
        }

        // Fencing: only the task's current attempt may change the task.
        var current = db.Tasks.Where(t => t.Id == taskId && t.Attempt == attempt && Open.Contains(t.Status));
        var taskUpdated = retryAt is { } due
            ? await current.ExecuteUpdateAsync(
                s => s.SetProperty(t => t.Status, TaskState.Pending)
                    .SetProperty(t => t.NextAttemptAt, due)
                    .SetProperty(t => t.Error, error)
                    .SetProperty(t => t.ErrorKind, errorKind),
                cancellationToken)
            : await current.ExecuteUpdateAsync(
                s => s.SetProperty(t => t.Status, taskState)
                    .SetProperty(t => t.Result, result)
                    .SetProperty(t => t.Error, error)
                    .SetProperty(t => t.ErrorKind, errorKind)
                    .SetProperty(t => t.FinishedAt, receivedAt),
                cancellationToken);
        return taskUpdated == 0 ? ResultDisposition.Superseded
            : retryAt is null ? ResultDisposition.Decided
            : ResultDisposition.RetryScheduled;
    }
}
