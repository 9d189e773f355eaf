using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace WorkFleet.Data.Configuration;

/// <summary>Applies <see cref="DatabaseOptions"/> to an EF Core options builder.</summary>
public static class DbContextOptionsConfigurator
{
    private const int AutoPreparedStatements = 64;

    /// <summary>Selects the provider and connection string.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return options.Provider switch
        {
            DatabaseProvider.Postgres => builder.UseNpgsql(WithAutoPrepare(options.ConnectionString)),
            DatabaseProvider.Sqlite => builder.UseSqlite(options.ConnectionString).AddInterceptors(new SqlitePragmaInterceptor()),
            _ => throw new InvalidOperationException($"WorkFleet:Database:Provider '{options.Provider}' is not supported; use Postgres or Sqlite."),
        };
    }

    /// <summary>
    /// Unless the connection string says otherwise, Npgsql prepares the statements a connection runs often (the
    /// dispatcher's store writes above all), so PostgreSQL parses and plans each of them once per connection
    /// instead of once per task.
    /// </summary>
    private static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = AutoPreparedStatements;
        }

        return builder.ConnectionString;
    }
}
