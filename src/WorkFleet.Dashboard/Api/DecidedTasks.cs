using WorkFleet.Data.Entities;

namespace WorkFleet.Dashboard.Api;

/// <summary>The store query of decided tasks with what their outcome needs (<c>TaskFinishedFactory.Stored</c>), not their payload.</summary>
public static class DecidedTasks
{
    /// <summary>The decided tasks of <paramref name="tasks"/>, their payload left out.</summary>
    public static IQueryable<TaskRecord> Decided(this IQueryable<TaskRecord> tasks) =>
        tasks.Where(t => t.Status == TaskState.Succeeded || t.Status == TaskState.Failed)
            .Select(t => new TaskRecord
            {
                Id = t.Id,
                JobType = t.JobType,
                Payload = "",
                Status = t.Status,
                Attempt = t.Attempt,
                WorkerId = t.WorkerId,
                CreatedAt = t.CreatedAt,
                FinishedAt = t.FinishedAt,
                Result = t.Result,
                Error = t.Error,
                ErrorKind = t.ErrorKind,
            });
}
