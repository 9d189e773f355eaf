using Npgsql;

namespace WorkFleet.ChaosTests.Harness;

/// <summary>
/// Cheap reads of a test database while a run is in progress. Every read uses its own unpooled
/// connection and returns null instead of throwing while the database is unreachable or not yet
/// migrated, because chaos tests poll through restarts.
/// </summary>
public sealed class FleetProgress(string connectionString)
{
    private readonly string _connectionString = new NpgsqlConnectionStringBuilder(connectionString)
    {
        Pooling = false,
        Timeout = 3,
        CommandTimeout = 10,
    }.ConnectionString;

    /// <summary>Task counts by status, or null when unreadable right now.</summary>
    /// <param name="ids">Only these tasks; all when null.</param>
    public async Task<ProgressSnapshot?> TryReadAsync(IReadOnlyCollection<Guid>? ids = null)
    {
        var sql = ids is null
            ? "SELECT status, count(*)::int FROM tasks GROUP BY status"
            : "SELECT status, count(*)::int FROM tasks WHERE id = ANY(@ids) GROUP BY status";
        return await TryAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(sql, connection);
            if (ids is not null)
            {
                command.Parameters.AddWithValue("ids", ids.ToArray());
            }

            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                counts[reader.GetString(0)] = reader.GetInt32(1);
            }

            return new ProgressSnapshot(counts, DateTime.UtcNow);
        });
    }

    /// <summary>Ids of workers whose last heartbeat is in the <c>workers</c> table, or null when unreadable.</summary>
    /// <param name="freshWithin">Only those heard from within this time (dispatcher clock vs now).</param>
    public Task<IReadOnlyList<string>?> TryReadLiveWorkersAsync(TimeSpan freshWithin) =>
        TryAsync<IReadOnlyList<string>>(async connection =>
        {
            await using var command = new NpgsqlCommand("SELECT id FROM workers WHERE last_heartbeat_at > @since ORDER BY id", connection);
            command.Parameters.AddWithValue("since", DateTime.UtcNow - freshWithin);
            var ids = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        });

    /// <summary>How many attempts on <paramref name="workerId"/> are open (Dispatched or Running), or null when unreadable.</summary>
    public Task<int?> TryCountOpenAttemptsAsync(string workerId) =>
        TryAsync<int?>(async connection =>
        {
            await using var command = new NpgsqlCommand(
                "SELECT count(*)::int FROM task_attempts WHERE worker_id = @worker AND status IN ('Dispatched', 'Running')", connection);
            command.Parameters.AddWithValue("worker", workerId);
            return (int)(await command.ExecuteScalarAsync())!;
        });

    private async Task<T?> TryAsync<T>(Func<NpgsqlConnection, Task<T>> read)
    {
        try
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync();
            return await read(connection);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException or IOException)
        {
            return default; // down, restarting, or the schema is not there yet
        }
    }
}
