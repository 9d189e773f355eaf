using Microsoft.EntityFrameworkCore;
using WorkFleet.Balancing;
using WorkFleet.Contracts;
using WorkFleet.Data;
using WorkFleet.Data.Entities;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Persistence.Writes;

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

    /// <summary>
    /// Records a new task as it is given (Pending, or Dispatched with its first attempt: <see cref="SubmitWrite"/>) and
    /// returns that same instance, or returns the stored one when the id is known (a redelivered or repeated submit).
    /// </summary>
    public async Task<TaskRecord> RecordSubmittedAsync(TaskRecord task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            if (await writer.WriteAsync(new SubmitWrite(task), cancellationToken))
            {
                return task;
            }
        }
        catch (DbUpdateException)
        {
            // Lost a race with a concurrent redelivery of the same id (EF Core form): the stored row is the truth.
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Tasks.AsNoTracking().FirstAsync(t => t.Id == task.Id, cancellationToken);
    }

    /// <summary>
    /// Marks the task Dispatched as attempt <paramref name="attempt"/> on <paramref name="workerId"/> and adds
    /// the attempt to the history. Returns false when the task was no longer Pending at attempt − 1.
    /// </summary>
    public Task<bool> RecordDispatchAsync(Guid taskId, int attempt, string workerId, DateTime at, CancellationToken cancellationToken) =>
        writer.WriteAsync(new DispatchWrite(taskId, attempt, workerId, at), cancellationToken);

    /// <summary>
    /// Takes back attempt <paramref name="attempt"/> that was recorded as dispatched but could not be sent (the
    /// broker was unreachable): the attempt becomes Abandoned and the task Pending, due now, so it is dispatched
    /// again as the next attempt from the store. Returns false when the attempt is no longer the open, current one.
    /// </summary>
    public Task<bool> ReturnUnsentAsync(Guid taskId, int attempt, string reason, DateTime at, CancellationToken cancellationToken) =>
        writer.WriteAsync(new ReturnUnsentWrite(taskId, attempt, reason, at), cancellationToken);

    /// <summary>Marks the current attempt Running (no effect on stale or finished attempts).</summary>
    public Task RecordStartedAsync(TaskStarted started, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(started);
        return writer.WriteAsync(new StartedWrite(started), cancellationToken);
    }

    /// <summary>
    /// Stores a success: it decides the outcome when it belongs to the task's current, open attempt; a
    /// duplicate or a late result of a superseded attempt is kept in the history only.
    /// </summary>
    public Task<RecordedResult> RecordCompletedAsync(TaskCompleted completed, DateTime receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completed);
        return writer.WriteAsync(
            new OutcomeWrite
            {
                TaskId = completed.TaskId,
                Attempt = completed.Attempt,
                WorkerId = completed.WorkerId,
                StartedAt = completed.StartedAt.UtcDateTime,
                FinishedAt = completed.FinishedAt.UtcDateTime,
                ReceivedAt = receivedAt,
                Succeeded = true,
                Result = completed.Result.ValueKind == System.Text.Json.JsonValueKind.Undefined ? "null" : completed.Result.GetRawText(),
            },
            cancellationToken);
    }

    /// <summary>
    /// Stores a failure of an attempt: with <paramref name="retryAt"/> the task goes back to Pending until
    /// then (the next attempt's number is one higher); without, the failure is its outcome.
    /// </summary>
    public Task<RecordedResult> RecordFailedAsync(TaskFailed failed, DateTime receivedAt, DateTime? retryAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failed);
        return writer.WriteAsync(
            new OutcomeWrite
            {
                TaskId = failed.TaskId,
                Attempt = failed.Attempt,
                WorkerId = failed.WorkerId,
                StartedAt = failed.StartedAt.UtcDateTime,
                FinishedAt = failed.FinishedAt.UtcDateTime,
                ReceivedAt = receivedAt,
                Succeeded = false,
                Error = failed.Error,
                ErrorKind = failed.ErrorKind,
                RetryAt = retryAt,
            },
            cancellationToken);
    }

    /// <summary>Fails a task that never reached a worker (invalid, or nothing can run it). Returns false if it was not Pending.</summary>
    public Task<bool> FailPendingAsync(Guid taskId, string error, string errorKind, DateTime at, CancellationToken cancellationToken) =>
        writer.WriteAsync(new FailPendingWrite(taskId, error, errorKind, at), cancellationToken);

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

    /// <summary>The task, or null when it is not stored.</summary>
    public async Task<TaskRecord?> FindAsync(Guid taskId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, cancellationToken);
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
    public async Task<IReadOnlyList<OpenAttempt>> LoadOutstandingAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.Tasks.AsNoTracking()
            .Where(t => Open.Contains(t.Status) && t.WorkerId != null)
            .Select(t => new { t.Id, t.Attempt, t.WorkerId, t.JobType, t.ExpectedCostMs, t.DispatchedAt })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new OpenAttempt(
            r.WorkerId!,
            new AssignmentKey(r.Id, r.Attempt),
            r.JobType,
            r.ExpectedCostMs,
            r.DispatchedAt is { } at ? StoredTime.AsUtc(at) : null))];
    }
}
