using System.Text;
using Npgsql;

namespace WorkFleet.IntegrationTests.Security;

/// <summary>
/// infra/postgres/initdb/10-workfleet-roles.sh, run inside the PostgreSQL container as the official image runs
/// an initdb.d script (superuser on the local socket, POSTGRES_USER/POSTGRES_DB set), with passwords from
/// files (the <c>_FILE</c> variants, as Docker secrets give them).
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Security")]
public sealed class DatabaseRolesScriptTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task RolesScript_InContainerWithSecretFiles_RolesLogInWithTheirRightsTwice()
    {
        Assert.True(infrastructure.Postgres is not null, "needs the fixture's own PostgreSQL container (WORKFLEET_TEST_POSTGRES unset)");
        var container = infrastructure.Postgres!;
        var superuser = await infrastructure.CreateDatabaseAsync(TestNames.Unique("roles_script"));
        var database = new NpgsqlConnectionStringBuilder(superuser).Database!;
        foreach (var file in new[] { "workfleet-roles.sql", "workfleet-grants.sql", "10-workfleet-roles.sh" })
        {
            await container.CopyAsync(await File.ReadAllBytesAsync(Path.Combine(PostgresRoles.ScriptDirectory, file)), "/tmp/workfleet-roles/" + file);
        }

        await container.CopyAsync(Encoding.UTF8.GetBytes(PostgresRoles.AppPassword + "\n"), "/run/secrets/app");
        await container.CopyAsync(Encoding.UTF8.GetBytes(PostgresRoles.ReadPassword + "\n"), "/run/secrets/read");
        string[] run =
        [
            "env", "WORKFLEET_SQL_DIR=/tmp/workfleet-roles", $"POSTGRES_USER={InfrastructureFixture.Username}", $"POSTGRES_DB={database}",
            "WORKFLEET_POSTGRES_APP_PASSWORD_FILE=/run/secrets/app", "WORKFLEET_POSTGRES_READ_PASSWORD_FILE=/run/secrets/read",
            "sh", "/tmp/workfleet-roles/10-workfleet-roles.sh",
        ];

        // Act: twice, as an idempotent script must allow.
        var first = await container.ExecAsync(run);
        var second = await container.ExecAsync(run);

        // Assert
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.True(second.ExitCode == 0, second.Stderr);
        var roles = PostgresRoles.ConnectionsFor(superuser);
        Assert.Equal(database, await DatabaseRoleSetup.ExecuteAsync(roles.App, "SELECT current_database()"));
        Assert.Equal(database, await DatabaseRoleSetup.ExecuteAsync(roles.Read, "SELECT current_database()"));
        Assert.Equal("workfleet_owner", await DatabaseRoleSetup.ExecuteAsync(superuser, "SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = current_database()"));
        var denied = await Assert.ThrowsAsync<PostgresException>(() => DatabaseRoleSetup.ExecuteAsync(roles.App, "CREATE TABLE planted (id int)"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, denied.SqlState);
    }

    [Fact]
    public async Task RolesScript_NoAppPassword_FailsNamingTheVariable()
    {
        Assert.True(infrastructure.Postgres is not null, "needs the fixture's own PostgreSQL container (WORKFLEET_TEST_POSTGRES unset)");
        var container = infrastructure.Postgres!;
        await container.CopyAsync(await File.ReadAllBytesAsync(Path.Combine(PostgresRoles.ScriptDirectory, "10-workfleet-roles.sh")), "/tmp/workfleet-roles-empty/10-workfleet-roles.sh");

        var result = await container.ExecAsync(["env", "WORKFLEET_POSTGRES_READ_PASSWORD=x", "sh", "/tmp/workfleet-roles-empty/10-workfleet-roles.sh"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("WORKFLEET_POSTGRES_APP_PASSWORD", result.Stderr, StringComparison.Ordinal);
    }
}
