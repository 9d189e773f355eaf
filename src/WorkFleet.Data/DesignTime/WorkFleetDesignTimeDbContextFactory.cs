using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using WorkFleet.Data.Configuration;

namespace WorkFleet.Data.DesignTime;

/// <summary>
/// Gives the dotnet-ef tools a PostgreSQL context (migrations are PostgreSQL's; SQLite creates its schema from
/// the model), so <c>dotnet ef ... --project src/WorkFleet.Data</c> needs no startup project. The connection
/// string is <see cref="DatabaseOptions"/>' default, or <c>WorkFleet__Database__ConnectionString</c> as for the
/// hosts; <c>--connection</c> overrides both. <c>migrations add</c> and <c>migrations script</c> never connect;
/// <c>migrations list</c> asks the database which migrations are applied and, when it cannot reach it, says so
/// and lists them without that status (<c>--no-connect</c> skips the attempt).
/// </summary>
public sealed class WorkFleetDesignTimeDbContextFactory : IDesignTimeDbContextFactory<WorkFleetDbContext>
{
    /// <inheritdoc />
    public WorkFleetDbContext CreateDbContext(string[] args)
    {
        var options = new DatabaseOptions { Provider = DatabaseProvider.Postgres };
        if (Environment.GetEnvironmentVariable("WorkFleet__Database__ConnectionString") is { Length: > 0 } connectionString)
        {
            options.ConnectionString = connectionString;
        }

        var builder = new DbContextOptionsBuilder<WorkFleetDbContext>();
        DbContextOptionsConfigurator.Configure(builder, options);
        return new WorkFleetDbContext(builder.Options);
    }
}
