using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using WorkFleet.Data.Configuration;

namespace WorkFleet.Dispatcher.Autoscaling;

/// <summary>
/// Makes one autoscaler act per fleet however many dispatchers run: the holder of a PostgreSQL session-level
/// advisory lock is the leader. The lock lives as long as its connection, so a leader that crashes or loses the
/// database hands over within one interval of another dispatcher trying. With SQLite (one embedded dispatcher)
/// the lease is always held.
/// </summary>
public sealed class AutoscalerLease(IOptions<DatabaseOptions> database, ILogger<AutoscalerLease> logger) : IAsyncDisposable
{
    /// <summary>The advisory lock key ("WFautosc" in ASCII), shared by every dispatcher of a fleet's database.</summary>
    public const long LockKey = 0x5746_6175_746F_7363;

    private NpgsqlConnection? _connection;

    /// <summary>Whether this dispatcher holds the lease now; takes it when free. Never throws for database trouble.</summary>
    public async Task<bool> HoldAsync(CancellationToken cancellationToken)
    {
        if (database.Value.Provider == DatabaseProvider.Sqlite)
        {
            return true;
        }

        try
        {
            if (_connection is not null)
            {
                // Still connected means still holding: the lock is released only with the session.
                await using var check = new NpgsqlCommand("SELECT 1", _connection);
                await check.ExecuteScalarAsync(cancellationToken);
                return true;
            }

            // Its own unpooled connection: a pooled one would keep the lock after being "closed" into the pool.
            var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.Value.ConnectionString)
            {
                Pooling = false,
                ApplicationName = "workfleet-autoscaler-lease",
            }.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            take.Parameters.AddWithValue("key", LockKey);
            if (await take.ExecuteScalarAsync(cancellationToken) is true)
            {
                _connection = connection;
                logger.LogInformation("This dispatcher now leads the autoscaler (advisory lock {Key} taken).", LockKey);
                return true;
            }

            await connection.DisposeAsync();
            return false;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            if (_connection is not null)
            {
                logger.LogWarning(ex, "Autoscaler lease lost with its database connection; another dispatcher may take over.");
            }

            await ReleaseAsync();
            return false;
        }
    }

    /// <summary>Gives the lease up (closing its connection frees the lock).</summary>
    public async ValueTask ReleaseAsync()
    {
        var connection = Interlocked.Exchange(ref _connection, null);
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ReleaseAsync();
}
