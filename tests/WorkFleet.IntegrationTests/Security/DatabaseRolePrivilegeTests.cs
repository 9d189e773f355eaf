using Npgsql;

namespace WorkFleet.IntegrationTests.Security;

/// <summary>
/// What the runtime roles cannot do on a migrated database: the app role (the dispatcher) has DML only, the
/// read role SELECT only. PostgreSQL answers each attempt with insufficient_privilege (42501).
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Security")]
public sealed class DatabaseRolePrivilegeTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task AppRole_CreateTable_PermissionDenied()
    {
        var roles = await DatabaseRoleSetup.CreateMigratedAsync(infrastructure, "approle_create");

        var denied = await Assert.ThrowsAsync<PostgresException>(() => DatabaseRoleSetup.ExecuteAsync(roles.App, "CREATE TABLE planted (id int)"));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
    }

    [Fact]
    public async Task AppRole_CopyToProgram_PermissionDenied()
    {
        var roles = await DatabaseRoleSetup.CreateMigratedAsync(infrastructure, "approle_copy");

        var denied = await Assert.ThrowsAsync<PostgresException>(() => DatabaseRoleSetup.ExecuteAsync(roles.App, "COPY (SELECT 1) TO PROGRAM 'true'"));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
        Assert.Contains("pg_execute_server_program", denied.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppRole_DropTable_PermissionDeniedAndTableRemains()
    {
        var roles = await DatabaseRoleSetup.CreateMigratedAsync(infrastructure, "approle_drop");

        var denied = await Assert.ThrowsAsync<PostgresException>(() => DatabaseRoleSetup.ExecuteAsync(roles.App, "DROP TABLE tasks"));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
        Assert.Equal(0L, await DatabaseRoleSetup.ExecuteAsync(roles.App, "SELECT count(*) FROM tasks"));
    }

    [Fact]
    public async Task AppRole_WriteMigrationHistory_PermissionDenied()
    {
        var roles = await DatabaseRoleSetup.CreateMigratedAsync(infrastructure, "approle_history");

        var denied = await Assert.ThrowsAsync<PostgresException>(() => DatabaseRoleSetup.ExecuteAsync(roles.App, "DELETE FROM \"__EFMigrationsHistory\""));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
    }

    [Fact]
    public async Task ReadRole_Insert_PermissionDeniedWhileSelectWorks()
    {
        var roles = await DatabaseRoleSetup.CreateMigratedAsync(infrastructure, "readrole_insert");

        var denied = await Assert.ThrowsAsync<PostgresException>(() => DatabaseRoleSetup.ExecuteAsync(roles.Read,
            "INSERT INTO workers (id, queue_name, weight, capacity, in_flight, queued, completed_total, failed_total, cpu_utilization, memory_utilization, ewma_task_duration_ms, job_types, capabilities, state, sequence, started_at, last_heartbeat_at, first_seen_at) "
            + "VALUES ('w', 'q', 1, 1, 0, 0, 0, 0, 0, 0, 0, ARRAY[]::text[], ARRAY[]::text[], 'Active', 1, now(), now(), now())"));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
        Assert.Equal(0L, await DatabaseRoleSetup.ExecuteAsync(roles.Read, "SELECT count(*) FROM workers"));
    }
}
