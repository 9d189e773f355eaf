using Microsoft.EntityFrameworkCore;
using WorkFleet.Contracts;
using WorkFleet.Data;
using WorkFleet.Data.Entities;

namespace WorkFleet.Dispatcher.Persistence;

/// <summary>The <c>workers</c> table: the latest heartbeat of each worker.</summary>
public sealed class WorkerStore(IDbContextFactory<WorkFleetDbContext> contexts)
{
    /// <summary>Inserts or updates one row per worker in a single round of statements.</summary>
    public async Task UpsertAsync(IReadOnlyCollection<ReceivedHeartbeat> heartbeats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(heartbeats);
        if (heartbeats.Count == 0)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ids = heartbeats.Select(h => h.Heartbeat.WorkerId).ToList();
        var rows = await db.Workers.Where(w => ids.Contains(w.Id)).ToDictionaryAsync(w => w.Id, cancellationToken);
        foreach (var (heartbeat, receivedAt) in heartbeats)
        {
            if (!rows.TryGetValue(heartbeat.WorkerId, out var row))
            {
                row = new WorkerRecord { Id = heartbeat.WorkerId, QueueName = heartbeat.QueueName, State = "", FirstSeenAt = receivedAt };
                db.Workers.Add(row);
                rows[row.Id] = row;
            }

            Copy(heartbeat, receivedAt, row);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>All stored workers.</summary>
    public async Task<IReadOnlyList<WorkerRecord>> LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Workers.AsNoTracking().ToListAsync(cancellationToken);
    }

    private static void Copy(WorkerHeartbeat heartbeat, DateTime receivedAt, WorkerRecord row)
    {
        row.QueueName = heartbeat.QueueName;
        row.Weight = heartbeat.Weight;
        row.Capacity = heartbeat.Capacity;
        row.InFlight = heartbeat.InFlight;
        row.Queued = heartbeat.Queued;
        row.CompletedTotal = heartbeat.CompletedTotal;
        row.FailedTotal = heartbeat.FailedTotal;
        row.CpuUtilization = heartbeat.CpuUtilization;
        row.MemoryUtilization = heartbeat.MemoryUtilization;
        row.EwmaTaskDurationMs = heartbeat.EwmaTaskDurationMs;
        row.JobTypes = [.. heartbeat.JobTypes];
        row.Capabilities = [.. heartbeat.Capabilities];
        row.State = heartbeat.State.ToString();
        row.Sequence = heartbeat.Sequence;
        row.StartedAt = heartbeat.StartedAt.UtcDateTime;
        row.LastHeartbeatAt = receivedAt;
    }
}
