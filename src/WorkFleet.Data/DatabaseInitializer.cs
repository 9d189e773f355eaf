using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkFleet.Data.Configuration;

namespace WorkFleet.Data;

/// <summary>
/// Brings the schema up to date at start: migrations on PostgreSQL, schema-from-model on SQLite (the
/// embedded mode keeps no history). With <see cref="DatabaseOptions.ApplyMigrations"/> off, PostgreSQL is only
/// checked to be current (the runtime role cannot migrate). Waits for the database with backoff so hosts can
/// start before it.
/// </summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<WorkFleetDbContext> contexts,
    IOptions<DatabaseOptions> options,
    ILogger<DatabaseInitializer> logger)
{
    /// <summary>Migrates (or creates, or checks) the schema; retries while the database is unreachable.</summary>
    /// <exception cref="InvalidOperationException">Migrations are off and the schema is not current.</exception>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                if (options.Value.Provider == DatabaseProvider.Sqlite)
                {
                    await db.Database.EnsureCreatedAsync(cancellationToken);

                    // WAL lets readers run beside the one writer; the embedded mode writes from many consumers.
                    await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
                }
                else if (!options.Value.ApplyMigrations)
                {
                    await EnsureCurrentAsync(db, cancellationToken);
                }
                else
                {
                    // On a new database EF reads the history table before creating it and logs that expected
                    // miss as an error (dotnet/efcore#37328); creating it first keeps the first start's log clean.
                    await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
                    await db.Database.MigrateAsync(cancellationToken);
                }

                logger.LogInformation("Database schema ready ({Provider})", options.Value.Provider);
                return;
            }
            catch (DbException ex) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Database not reachable (attempt {Attempt}): {Error}; retrying in {Delay}", attempt, ex.Message, delay);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }

    private static async Task EnsureCurrentAsync(WorkFleetDbContext db, CancellationToken cancellationToken)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database schema is not current: {pending.Count} migration(s) not applied ({string.Join(", ", pending)}). "
                + "WorkFleet:Database:ApplyMigrations is false, so this host does not migrate: run `workfleet migrate` "
                + "(as workfleet_owner; in compose the migrate service) first.");
        }
    }
}
