using Npgsql;
using WorkFleet.Data.Configuration;
using WorkFleet.Messaging.Configuration.Security;

namespace WorkFleet.Dispatcher.Configuration;

/// <summary>The PostgreSQL password the dispatcher connects with, for the start-up default-password check.</summary>
public static class DatabasePasswordGuard
{
    /// <summary>The setting named in the check's messages.</summary>
    public const string Setting = "WorkFleet:Database:ConnectionString (its Password, or PGPASSWORD)";

    private const string HowToSet =
        "put it in the connection string (environment variable WorkFleet__Database__ConnectionString, or a file named by " +
        "WorkFleet__Database__ConnectionString_FILE) or in PGPASSWORD";

    /// <summary>
    /// The password of a PostgreSQL connection string, or of <c>PGPASSWORD</c> when the string has none; nothing to
    /// check for SQLite, for a connection string that does not parse (it fails on its own), or when a password file
    /// or a client certificate is given instead.
    /// </summary>
    /// <param name="options">The database settings.</param>
    /// <param name="environment">Reads an environment variable.</param>
    public static GuardedPassword Guard(DatabaseOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        if (options.Provider != DatabaseProvider.Postgres)
        {
            return new GuardedPassword(Setting, null, HowToSet);
        }

        NpgsqlConnectionStringBuilder connection;
        try
        {
            connection = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException)
        {
            return new GuardedPassword(Setting, null, HowToSet);
        }

        var password = string.IsNullOrEmpty(connection.Password) ? environment("PGPASSWORD") : connection.Password;
        var otherCredential = !string.IsNullOrEmpty(connection.Passfile) || !string.IsNullOrEmpty(environment("PGPASSFILE")) || !string.IsNullOrEmpty(connection.SslCertificate);
        return string.IsNullOrEmpty(password) && otherCredential
            ? new GuardedPassword(Setting, null, HowToSet)
            : new GuardedPassword(Setting, password ?? string.Empty, HowToSet);
    }
}
