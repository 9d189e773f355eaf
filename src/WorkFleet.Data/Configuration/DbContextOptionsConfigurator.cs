using Microsoft.EntityFrameworkCore;

namespace WorkFleet.Data.Configuration;

/// <summary>Applies <see cref="DatabaseOptions"/> to an EF Core options builder.</summary>
public static class DbContextOptionsConfigurator
{
    /// <summary>Selects the provider and connection string.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        return options.Provider switch
        {
            DatabaseProvider.Postgres => builder.UseNpgsql(options.ConnectionString),
            DatabaseProvider.Sqlite => builder.UseSqlite(options.ConnectionString).AddInterceptors(new SqlitePragmaInterceptor()),
            _ => throw new InvalidOperationException($"WorkFleet:Database:Provider '{options.Provider}' is not supported; use Postgres or Sqlite."),
        };
    }
}
