using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace WorkFleet.Data.Configuration;

/// <summary>Applies <see cref="DatabaseOptions"/> to an EF Core options builder.</summary>
public static class DbContextOptionsConfigurator
{
    /// <summary>Selects the provider and connection string.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        _ = options.Provider switch
        {
            DatabaseProvider.Postgres => builder.UseNpgsql(options.ConnectionString),
            DatabaseProvider.Sqlite => builder.UseSqlite(options.ConnectionString).AddInterceptors(new SqlitePragmaInterceptor()),
            _ => throw new InvalidOperationException($"WorkFleet:Database:Provider '{options.Provider}' is not supported; use Postgres or Sqlite."),
        };

        // Migrations are hand-written (no design-time package, hence no model snapshot); a test compares
        // the migrated schema with the model instead of EF's snapshot diff.
        return builder.ConfigureWarnings(w => w
            .Ignore(RelationalEventId.PendingModelChangesWarning)
            .Ignore(RelationalEventId.ModelSnapshotNotFound));
    }
}
