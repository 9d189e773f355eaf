using Microsoft.EntityFrameworkCore;
using WorkFleet.Data;
using WorkFleet.Data.Entities;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dispatcher.Persistence;

/// <summary>
/// Where learned job costs survive a restart: the store's attempt history already holds them. A succeeded attempt
/// has its run time (started_at, finished_at, worker clock), its task's job type and its worker's weight (the
/// <c>workers</c> row), which is all <see cref="JobCostEstimates"/> learns from, so no table of its own is needed.
/// </summary>
public sealed class JobCostHistory(IDbContextFactory<WorkFleetDbContext> contexts)
{
    /// <summary>Most recent succeeded attempts read at start. Default 5,000.</summary>
    public const int WarmUpAttempts = 5_000;

    /// <summary>
    /// Feeds the latest <see cref="WarmUpAttempts"/> succeeded attempts, oldest first, to <paramref name="estimates"/>;
    /// returns how many. Attempts of workers no longer in the <c>workers</c> table (weight unknown) are skipped.
    /// </summary>
    public async Task<int> WarmUpAsync(JobCostEstimates estimates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(estimates);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await (
                from attempt in db.TaskAttempts.AsNoTracking()
                where attempt.Status == AttemptState.Succeeded && attempt.StartedAt != null && attempt.FinishedAt != null
                join task in db.Tasks.AsNoTracking() on attempt.TaskId equals task.Id
                join worker in db.Workers.AsNoTracking() on attempt.WorkerId equals worker.Id
                orderby attempt.CompletedAt descending
                select new { task.JobType, StartedAt = attempt.StartedAt!.Value, FinishedAt = attempt.FinishedAt!.Value, worker.Weight, PayloadSize = task.Payload.Length })
            .Take(WarmUpAttempts)
            .ToListAsync(cancellationToken);
        for (var i = rows.Count - 1; i >= 0; i--)
        {
            estimates.Observe(rows[i].JobType, rows[i].FinishedAt - rows[i].StartedAt, rows[i].Weight, rows[i].PayloadSize);
        }

        return rows.Count;
    }
}
