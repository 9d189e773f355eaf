using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using WorkFleet.Contracts;
using WorkFleet.Data;
using WorkFleet.Data.Entities;

namespace WorkFleet.Dispatcher.Persistence;

/// <summary>The <c>workers</c> table: the latest heartbeat of each worker.</summary>
public sealed class WorkerStore(IDbContextFactory<WorkFleetDbContext> contexts)
{
    // The gpus column holds the heartbeat's own camelCase JSON, so SQL readers see the wire names.
    private static readonly JsonSerializerOptions ColumnJson = new(JsonSerializerDefaults.Web);

    // One row per heartbeat from parallel arrays; a worker's job types and capabilities travel as JSON arrays.
    private const string UpsertSql = """
        INSERT INTO workers (id, queue_name, weight, capacity, in_flight, queued, completed_total, failed_total, cpu_utilization,
                             memory_utilization, ewma_task_duration_ms, job_types, capabilities, state, sequence, started_at,
                             last_heartbeat_at, first_seen_at, host_cpu_utilization, host_memory_utilization, gpus)
        SELECT h.id, h.queue_name, h.weight, h.capacity, h.in_flight, h.queued, h.completed_total, h.failed_total, h.cpu,
               h.memory, h.ewma, ARRAY(SELECT jsonb_array_elements_text(h.job_types::jsonb)),
               ARRAY(SELECT jsonb_array_elements_text(h.capabilities::jsonb)), h.state, h.sequence, h.started_at,
               h.received_at, h.received_at, h.host_cpu, h.host_memory, h.gpus::jsonb
        FROM unnest($1::text[], $2::text[], $3::float8[], $4::int[], $5::int[], $6::int[], $7::bigint[], $8::bigint[],
                    $9::float8[], $10::float8[], $11::float8[], $12::text[], $13::text[], $14::text[], $15::bigint[],
                    $16::timestamptz[], $17::timestamptz[], $18::float8[], $19::float8[], $20::text[])
             AS h(id, queue_name, weight, capacity, in_flight, queued, completed_total, failed_total, cpu, memory, ewma,
                  job_types, capabilities, state, sequence, started_at, received_at, host_cpu, host_memory, gpus)
        ON CONFLICT (id) DO UPDATE SET
            queue_name = excluded.queue_name, weight = excluded.weight, capacity = excluded.capacity,
            in_flight = excluded.in_flight, queued = excluded.queued, completed_total = excluded.completed_total,
            failed_total = excluded.failed_total, cpu_utilization = excluded.cpu_utilization,
            memory_utilization = excluded.memory_utilization, ewma_task_duration_ms = excluded.ewma_task_duration_ms,
            job_types = excluded.job_types, capabilities = excluded.capabilities, state = excluded.state,
            sequence = excluded.sequence, started_at = excluded.started_at, last_heartbeat_at = excluded.last_heartbeat_at,
            host_cpu_utilization = excluded.host_cpu_utilization, host_memory_utilization = excluded.host_memory_utilization,
            gpus = excluded.gpus
        """;

    /// <summary>
    /// Inserts or updates one row per worker: on PostgreSQL in one statement, elsewhere in a single round of
    /// EF Core statements.
    /// </summary>
    public async Task UpsertAsync(IReadOnlyCollection<ReceivedHeartbeat> heartbeats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(heartbeats);
        if (heartbeats.Count == 0)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (db.Database.GetDbConnection() is NpgsqlConnection connection)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            await using var command = Upsert(connection, heartbeats);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return;
        }

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

    private static NpgsqlCommand Upsert(NpgsqlConnection connection, IReadOnlyCollection<ReceivedHeartbeat> heartbeats)
    {
        var command = new NpgsqlCommand(UpsertSql, connection);
        var rows = heartbeats.ToArray();
        Column(h => h.Heartbeat.WorkerId, NpgsqlDbType.Text);
        Column(h => h.Heartbeat.QueueName, NpgsqlDbType.Text);
        Column(h => h.Heartbeat.Weight, NpgsqlDbType.Double);
        Column(h => h.Heartbeat.Capacity, NpgsqlDbType.Integer);
        Column(h => h.Heartbeat.InFlight, NpgsqlDbType.Integer);
        Column(h => h.Heartbeat.Queued, NpgsqlDbType.Integer);
        Column(h => h.Heartbeat.CompletedTotal, NpgsqlDbType.Bigint);
        Column(h => h.Heartbeat.FailedTotal, NpgsqlDbType.Bigint);
        Column(h => h.Heartbeat.CpuUtilization, NpgsqlDbType.Double);
        Column(h => h.Heartbeat.MemoryUtilization, NpgsqlDbType.Double);
        Column(h => h.Heartbeat.EwmaTaskDurationMs, NpgsqlDbType.Double);
        Column(h => JsonSerializer.Serialize(h.Heartbeat.JobTypes ?? []), NpgsqlDbType.Text);
        Column(h => JsonSerializer.Serialize(h.Heartbeat.Capabilities ?? []), NpgsqlDbType.Text);
        Column(h => h.Heartbeat.State.ToString(), NpgsqlDbType.Text);
        Column(h => h.Heartbeat.Sequence, NpgsqlDbType.Bigint);
        Column(h => h.Heartbeat.StartedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
        Column(h => h.ReceivedAt, NpgsqlDbType.TimestampTz);
        Column(h => h.Heartbeat.HostCpuUtilization, NpgsqlDbType.Double);
        Column(h => h.Heartbeat.HostMemoryUtilization, NpgsqlDbType.Double);
        Column(h => GpusJson(h.Heartbeat), NpgsqlDbType.Text);
        return command;

        void Column<T>(Func<ReceivedHeartbeat, T> value, NpgsqlDbType type) =>
            command.Parameters.Add(new NpgsqlParameter { Value = rows.Select(value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | type });
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
        row.HostCpuUtilization = heartbeat.HostCpuUtilization;
        row.HostMemoryUtilization = heartbeat.HostMemoryUtilization;
        row.Gpus = GpusJson(heartbeat);
        row.JobTypes = [.. heartbeat.JobTypes];
        row.Capabilities = [.. heartbeat.Capabilities];
        row.State = heartbeat.State.ToString();
        row.Sequence = heartbeat.Sequence;
        row.StartedAt = heartbeat.StartedAt.UtcDateTime;
        row.LastHeartbeatAt = receivedAt;
    }

    /// <summary>The heartbeat's GPUs as the JSON the <c>gpus</c> column holds (null without GPUs).</summary>
    public static string? GpusJson(WorkerHeartbeat heartbeat)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        return heartbeat.Gpus is { } gpus ? JsonSerializer.Serialize(gpus, ColumnJson) : null;
    }

    /// <summary>The GPUs stored by <see cref="GpusJson"/>; null for a null or unreadable column.</summary>
    public static IReadOnlyList<GpuStatus>? ReadGpus(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<List<GpuStatus>>(json, ColumnJson);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
