using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WorkFleet.Data;
using WorkFleet.Data.Configuration;

namespace WorkFleet.IntegrationTests.Security;

/// <summary>Test databases with WorkFleet's roles, migrated by the migrate step as <c>workfleet_owner</c>.</summary>
public static class DatabaseRoleSetup
{
    /// <summary>A new database with the roles provisioned and the schema migrated as the owner.</summary>
    public static async Task<DatabaseRoleConnections> CreateMigratedAsync(InfrastructureFixture infrastructure, string prefix)
    {
        var roles = await infrastructure.CreateDatabaseWithRolesAsync(TestNames.Unique(prefix));
        await MigrateAsync(roles.Owner);
        return roles;
    }

    /// <summary>What <c>workfleet migrate</c> does (without role passwords), in process; returns the migrations applied.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(string ownerConnectionString)
    {
        await using var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddLogging()
            .AddWorkFleetData(o => (o.Provider, o.ConnectionString) = (DatabaseProvider.Postgres, ownerConnectionString))
            .BuildServiceProvider();
        return await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(passwords: null, CancellationToken.None);
    }

    /// <summary>Runs <paramref name="sql"/> on a new unpooled connection as the role of <paramref name="connectionString"/>.</summary>
    public static async Task<object?> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
