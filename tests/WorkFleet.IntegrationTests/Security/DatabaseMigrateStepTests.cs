using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace WorkFleet.IntegrationTests.Security;

/// <summary>
/// The migrate step (<c>workfleet migrate</c>, run as the CLI user runs it) and its counterpart at start: a host
/// with <c>WorkFleet:Database:ApplyMigrations</c> false checks the schema and refuses an unmigrated database.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Security")]
public sealed class DatabaseMigrateStepTests(InfrastructureFixture infrastructure)
{
    private const string InsertWorker = """
        INSERT INTO workers (id, queue_name, weight, capacity, in_flight, queued, completed_total, failed_total,
                             cpu_utilization, memory_utilization, ewma_task_duration_ms, job_types, capabilities,
                             state, sequence, started_at, last_heartbeat_at, first_seen_at,
                             gpus, host_cpu_utilization, host_memory_utilization)
        VALUES ('w-app', 'q', 1, 1, 0, 0, 0, 0, 0, 0, 0, ARRAY[]::text[], ARRAY[]::text[], 'Active', 1, now(), now(), now(),
                '[]', 0.5, 0.25)
        """;

    [Fact]
    public async Task MigrateCommand_TwiceInARow_SecondAppliesNothingAndAppRoleKeepsItsDml()
    {
        // Arrange
        var roles = await infrastructure.CreateDatabaseWithRolesAsync(TestNames.Unique("migrate_twice"));
        await using var db = Store.Open(roles.Owner);
        var all = db.Database.GetMigrations().ToList();

        // Act
        var first = await MigrateWithCliAsync(roles.Owner);
        var second = await MigrateWithCliAsync(roles.Owner);

        // Assert: all migrations once, then none; the history is complete.
        Assert.Equal(all, first);
        Assert.Empty(second);
        Assert.Equal(all, await db.Database.GetAppliedMigrationsAsync());

        // The app role's DML on the columns the latest migration added (workers.gpus, host_*_utilization) ...
        await DatabaseRoleSetup.ExecuteAsync(roles.App, InsertWorker);
        await DatabaseRoleSetup.ExecuteAsync(roles.App, "UPDATE workers SET host_cpu_utilization = 0.75, gpus = NULL WHERE id = 'w-app'");
        Assert.Equal(0.75, await DatabaseRoleSetup.ExecuteAsync(roles.Read, "SELECT host_cpu_utilization FROM workers WHERE id = 'w-app'"));
        await DatabaseRoleSetup.ExecuteAsync(roles.App, "DELETE FROM workers WHERE id = 'w-app'");
        Assert.Equal(0L, await DatabaseRoleSetup.ExecuteAsync(roles.App, "SELECT count(*) FROM workers"));
    }

    [Fact]
    public async Task TableOfALaterMigration_CreatedByOwner_AppRoleHasDmlReadRoleSelectOnly()
    {
        // Arrange: a migrated database; a later migration adds a table with a sequence (as the owner runs it).
        var roles = await DatabaseRoleSetup.CreateMigratedAsync(infrastructure, "later_table");
        await DatabaseRoleSetup.ExecuteAsync(roles.Owner, "CREATE TABLE later_migration_table (id serial PRIMARY KEY, note text NOT NULL)");

        // Act: the app role uses it without any further grant.
        await DatabaseRoleSetup.ExecuteAsync(roles.App, "INSERT INTO later_migration_table (note) VALUES ('a'), ('b')");
        await DatabaseRoleSetup.ExecuteAsync(roles.App, "UPDATE later_migration_table SET note = 'c' WHERE note = 'a'");
        await DatabaseRoleSetup.ExecuteAsync(roles.App, "DELETE FROM later_migration_table WHERE note = 'b'");

        // Assert
        Assert.Equal("c", await DatabaseRoleSetup.ExecuteAsync(roles.Read, "SELECT string_agg(note, ',') FROM later_migration_table"));
        var denied = await Assert.ThrowsAsync<PostgresException>(() => DatabaseRoleSetup.ExecuteAsync(roles.Read, "DELETE FROM later_migration_table"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
    }

    [Fact]
    public async Task DispatcherStart_ApplyMigrationsOffOnUnmigratedDatabase_RefusesNamingMigrate()
    {
        // Arrange: roles exist, the schema does not.
        var roles = await infrastructure.CreateDatabaseWithRolesAsync(TestNames.Unique("unmigrated"));
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("unmigrated"));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = "Test" });
        builder.Configuration.AddInMemoryCollection(FleetHosts.StackSettings(rabbit, roles.App));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["WorkFleet:Database:ApplyMigrations"] = "false" });
        builder.AddWorkFleetDispatcher();
        using var host = builder.Build();

        // Act
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(deadline.Token));

        // Assert: the message names the setting and the step to run; nothing was created.
        Assert.Contains("workfleet migrate", refused.Message, StringComparison.Ordinal);
        Assert.Contains("WorkFleet:Database:ApplyMigrations", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await DatabaseRoleSetup.ExecuteAsync(roles.Superuser, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
    }

    private static async Task<List<string>> MigrateWithCliAsync(string ownerConnectionString)
    {
        var (exitCode, stdout, stderr) = await AppProcess.RunAsync(
            "workfleet.dll",
            TimeSpan.FromMinutes(2),
            new Dictionary<string, string> { ["WorkFleet__Database__Provider"] = "Postgres" },
            ["migrate", "--json", "--connection-string", ownerConnectionString]);
        Assert.True(exitCode == 0, $"workfleet migrate exited {exitCode}; stderr: {stderr}");
        using var report = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]);
        return report.RootElement.GetProperty("applied").EnumerateArray().Select(m => m.GetString()!).ToList();
    }
}
