using Npgsql;

namespace WorkFleet.Data.Roles;

/// <summary>
/// The fleet's PostgreSQL roles, made by the scripts in infra/postgres (embedded here, so the migrate step and
/// tests run the same SQL): <see cref="Owner"/> owns the schema and migrates it, <see cref="App"/> is the
/// dispatcher's runtime role with DML only, <see cref="Read"/> may only SELECT.
/// </summary>
public static class DatabaseRoles
{
    /// <summary>Owns the database, its tables and sequences; runs <c>workfleet migrate</c>.</summary>
    public const string Owner = "workfleet_owner";

    /// <summary>The dispatcher at run time: SELECT/INSERT/UPDATE/DELETE on the tables, sequences; no DDL.</summary>
    public const string App = "workfleet_app";

    /// <summary>SELECT only: <c>workfleet status</c>, dashboards.</summary>
    public const string Read = "workfleet_read";

    /// <summary>
    /// Creates the three roles if missing, (re)sets the app and read passwords, makes <see cref="Owner"/> the
    /// owner of the connection's database and grants what <see cref="GrantAsync"/> grants. Idempotent. Needs a
    /// superuser (or CREATEROLE and ownership of the database).
    /// </summary>
    /// <param name="connection">An open connection to the fleet's database.</param>
    /// <param name="passwords">The passwords to set.</param>
    /// <param name="cancellationToken">Cancels the statements.</param>
    public static async Task ProvisionAsync(NpgsqlConnection connection, RolePasswords passwords, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(passwords);
        await using (var settings = new NpgsqlCommand(
            "SELECT set_config('workfleet.app_password', $1, false), set_config('workfleet.read_password', $2, false), set_config('workfleet.owner_password', $3, false)",
            connection))
        {
            settings.Parameters.Add(new NpgsqlParameter { Value = passwords.App });
            settings.Parameters.Add(new NpgsqlParameter { Value = passwords.Read });
            settings.Parameters.Add(new NpgsqlParameter { Value = passwords.Owner ?? string.Empty });
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await ExecuteScriptAsync(connection, "workfleet-roles.sql", cancellationToken);
        }
        finally
        {
            // The connection may go back to a pool: leave no password in its session.
            await using var clear = new NpgsqlCommand(
                "SELECT set_config('workfleet.app_password', '', false), set_config('workfleet.read_password', '', false), set_config('workfleet.owner_password', '', false)",
                connection);
            await clear.ExecuteNonQueryAsync(CancellationToken.None);
        }

        await GrantAsync(connection, cancellationToken);
    }

    /// <summary>
    /// Grants the runtime roles their rights on every table and sequence of the schema, and the same on those
    /// that later migrations create as <see cref="Owner"/> (default privileges). Idempotent. Run by
    /// <see cref="Owner"/> (the migrate step does, after the migrations) or a superuser.
    /// </summary>
    /// <param name="connection">An open connection to the fleet's database.</param>
    /// <param name="cancellationToken">Cancels the statements.</param>
    /// <exception cref="InvalidOperationException">The runtime roles do not exist yet.</exception>
    public static async Task GrantAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using (var check = new NpgsqlCommand("SELECT count(*) FROM pg_roles WHERE rolname = ANY($1)", connection))
        {
            check.Parameters.Add(new NpgsqlParameter { Value = new[] { Owner, App, Read } });
            if ((long)(await check.ExecuteScalarAsync(cancellationToken))! != 3)
            {
                throw new InvalidOperationException(
                    $"The roles {Owner}, {App} and {Read} do not all exist. Create them with infra/postgres/initdb/10-workfleet-roles.sh, "
                    + $"or run `workfleet migrate` as a superuser with {RolePasswords.AppVariable} and {RolePasswords.ReadVariable} set.");
            }
        }

        await ExecuteScriptAsync(connection, "workfleet-grants.sql", cancellationToken);
    }

    private static async Task ExecuteScriptAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var stream = typeof(DatabaseRoles).Assembly.GetManifestResourceStream($"WorkFleet.Data.Roles.{name}")
            ?? throw new InvalidOperationException($"Embedded script {name} is missing from {typeof(DatabaseRoles).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        await using var command = new NpgsqlCommand(await reader.ReadToEndAsync(cancellationToken), connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
