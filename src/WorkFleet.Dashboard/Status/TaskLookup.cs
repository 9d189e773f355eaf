using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WorkFleet.Dashboard.Configuration;
using WorkFleet.Data;

namespace WorkFleet.Dashboard.Status;

/// <summary>
/// Reads one task and its attempts from the store, for <c>GET /api/tasks/{id}</c>, leaving out a result larger than
/// <see cref="DashboardOptions.ResultLimitBytes"/>; and a task's whole result, for <c>GET /api/tasks/{id}/result</c>.
/// </summary>
public sealed class TaskLookup(IDbContextFactory<WorkFleetDbContext> contexts, DashboardOptions options)
{
    /// <summary>The task's stored result (JSON text), or null when no task has that id or it has no result.</summary>
    public async Task<string?> FindResultAsync(Guid taskId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Tasks.AsNoTracking().Where(t => t.Id == taskId).Select(t => t.Result).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The task, or null when no task has that id.</summary>
    public async Task<TaskDetails?> FindAsync(Guid taskId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, cancellationToken);
        if (task is null)
        {
            return null;
        }

        var attempts = await db.TaskAttempts.AsNoTracking().Where(a => a.TaskId == taskId).OrderBy(a => a.Attempt).ToListAsync(cancellationToken);
        var resultBytes = task.Result is null ? 0 : Encoding.UTF8.GetByteCount(task.Result);
        var omitted = resultBytes > options.ResultLimitBytes ? new ResultOmitted(resultBytes, options.ResultLimitBytes, $"api/tasks/{taskId}/result") : null;
        using var result = task.Result is null || omitted is not null ? null : JsonDocument.Parse(task.Result);
        return new TaskDetails(
            task.Id,
            task.JobType,
            task.Status.ToString(),
            task.Attempt,
            task.WorkerId,
            task.Priority,
            task.SubmittedAt,
            task.FinishedAt,
            task.NextAttemptAt,
            result?.RootElement.Clone(),
            omitted,
            task.Error,
            task.ErrorKind,
            Encoding.UTF8.GetByteCount(task.Payload),
            [.. attempts.Select(a => new AttemptDetails(a.Attempt, a.WorkerId, a.Status.ToString(), a.DispatchedAt, a.StartedAt, a.FinishedAt, a.RetryAt, a.Error, a.ErrorKind))],
            task.TraceId);
    }
}
