using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;
using Npgsql;
using WorkFleet.Data.Roles;

namespace WorkFleet.Data;

/// <summary>
/// The migrate step (<c>workfleet migrate</c>, the compose <c>migrate</c> service): applies the pending EF Core
/// migrations as the connecting role (<c>workfleet_owner</c>), then grants the runtime roles their rights on
/// what the migrations made. With passwords given it first creates or updates the roles (needs a superuser).
/// Idempotent: a second run applies nothing and grants the same again.
/// </summary>
public sealed class DatabaseMigrator(IDbContextFactory<WorkFleetDbContext> contexts, ILogger<DatabaseMigrator> logger)
{
    /// <summary>Provisions the roles when <paramref name="passwords"/> is set, migrates, grants; returns the migrations applied.</summary>
    /// <param name="passwords">Passwords for the app and read roles, or null to leave the roles as they are.</param>
    /// <param name="cancellationToken">Cancels the migration.</param>
    public async Task<IReadOnlyList<string>> MigrateAsync(RolePasswords? passwords, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var connection = db.Database.GetDbConnection() as NpgsqlConnection
            ?? throw new InvalidOperationException("`workfleet migrate` is for PostgreSQL (WorkFleet:Database:Provider Postgres); SQLite creates its schema at start.");
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (passwords is not null)
            {
                await DatabaseRoles.ProvisionAsync(connection, passwords, cancellationToken);
                logger.LogInformation("Roles {Owner}, {App} and {Read} provisioned", DatabaseRoles.Owner, DatabaseRoles.App, DatabaseRoles.Read);
            }

            // See DatabaseInitializer: creating the history table first keeps EF from logging an expected miss as an error.
            await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            await db.Database.MigrateAsync(cancellationToken);
            await DatabaseRoles.GrantAsync(connection, cancellationToken);
            logger.LogInformation("Schema migrated ({Count} applied) and runtime roles granted", pending.Count);
            return pending;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
