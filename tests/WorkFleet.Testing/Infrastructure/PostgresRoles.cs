using Npgsql;

namespace WorkFleet.Testing.Infrastructure;

/// <summary>
/// Provisions WorkFleet's database roles in a test database by running the shipped scripts
/// (infra/postgres/workfleet-roles.sql and workfleet-grants.sql, copied next to the tests) as the superuser,
/// exactly as infra/postgres/initdb/10-workfleet-roles.sh does. Roles belong to the whole server, so every
/// test database shares them and their passwords, which are fixed here.
/// </summary>
public static class PostgresRoles
{
    /// <summary>Password of <c>workfleet_owner</c> on the test servers.</summary>
    public const string OwnerPassword = "test-owner-password";

    /// <summary>Password of <c>workfleet_app</c> on the test servers: quotes, a backslash and a semicolon test the quoting.</summary>
    public const string AppPassword = "test-app 'pass\\word'; 1";

    /// <summary>Password of <c>workfleet_read</c> on the test servers.</summary>
    public const string ReadPassword = "test-read-password";

    /// <summary>Folder next to the test assembly that holds the shipped SQL scripts.</summary>
    public static string ScriptDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "PostgresRoles");

    // Roles are server-wide: provisioning two test databases at once would race on CREATE ROLE.
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>
    /// Creates or updates the three roles, makes <c>workfleet_owner</c> the owner of the database of
    /// <paramref name="superuser"/> and grants the runtime roles; returns a connection string per role.
    /// </summary>
    /// <param name="superuser">Connection string of a superuser for the test database.</param>
    public static async Task<DatabaseRoleConnections> ProvisionAsync(string superuser)
    {
        await OneAtATime.WaitAsync();
        try
        {
            var unpooled = new NpgsqlConnectionStringBuilder(superuser) { Pooling = false }.ConnectionString;
            await using var connection = new NpgsqlConnection(unpooled);
            await connection.OpenAsync();
            await using (var settings = new NpgsqlCommand(
                "SELECT set_config('workfleet.app_password', $1, false), set_config('workfleet.read_password', $2, false), set_config('workfleet.owner_password', $3, false)",
                connection))
            {
                settings.Parameters.Add(new NpgsqlParameter { Value = AppPassword });
                settings.Parameters.Add(new NpgsqlParameter { Value = ReadPassword });
                settings.Parameters.Add(new NpgsqlParameter { Value = OwnerPassword });
                await settings.ExecuteNonQueryAsync();
            }

            await RunScriptAsync(connection, "workfleet-roles.sql");

            // The script sets the owner's password only when it creates the role; a test may have made it differently.
            await using (var owner = new NpgsqlCommand($"ALTER ROLE workfleet_owner LOGIN PASSWORD '{OwnerPassword}'", connection))
            {
                await owner.ExecuteNonQueryAsync();
            }

            await RunScriptAsync(connection, "workfleet-grants.sql");
        }
        finally
        {
            OneAtATime.Release();
        }

        return ConnectionsFor(superuser);
    }

    /// <summary>Connection strings for the three roles on the database of <paramref name="superuser"/>.</summary>
    /// <param name="superuser">Connection string of a superuser for the test database.</param>
    public static DatabaseRoleConnections ConnectionsFor(string superuser) => new(
        superuser,
        As(superuser, "workfleet_owner", OwnerPassword),
        As(superuser, "workfleet_app", AppPassword),
        As(superuser, "workfleet_read", ReadPassword));

    private static string As(string connectionString, string username, string password) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = username, Password = password }.ConnectionString;

    private static async Task RunScriptAsync(NpgsqlConnection connection, string name)
    {
        await using var command = new NpgsqlCommand(await File.ReadAllTextAsync(Path.Combine(ScriptDirectory, name)), connection);
        await command.ExecuteNonQueryAsync();
    }
}
