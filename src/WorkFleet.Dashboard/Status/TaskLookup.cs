using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WorkFleet.Data;

namespace WorkFleet.Dashboard.Status;

/// <summary>Reads one task and its attempts from the store, for <c>GET /api/tasks/{id}</c>.</summary>
public sealed class TaskLookup(IDbContextFactory<WorkFleetDbContext> contexts)
{
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
        using var result = task.Result is null ? null : JsonDocument.Parse(task.Result);
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
            task.Error,
            task.ErrorKind,
            Encoding.UTF8.GetByteCount(task.Payload),
            [.. attempts.Select(a => new AttemptDetails(a.Attempt, a.WorkerId, a.Status.ToString(), a.DispatchedAt, a.StartedAt, a.FinishedAt, a.RetryAt, a.Error, a.ErrorKind))]);
    }
}
