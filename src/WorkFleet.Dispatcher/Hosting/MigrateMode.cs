using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkFleet.Data;
using WorkFleet.Data.Roles;

namespace WorkFleet.Dispatcher.Hosting;

/// <summary>
/// The dispatcher host run with the single argument <c>migrate</c> does what <c>workfleet migrate</c> does and
/// exits: the compose <c>migrate</c> service reuses the dispatcher image instead of shipping a CLI image.
/// </summary>
public static class MigrateMode
{
    /// <summary>Runs the migrate step if <paramref name="args"/> asks for it; returns its exit code, or null to run the host.</summary>
    /// <param name="args">The host's command-line arguments.</param>
    public static async Task<int?> RunIfRequestedAsync(string[] args)
    {
        if (args is not ["migrate"])
        {
            return null;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Configuration.AddWorkFleetFileSecrets();
        builder.Services.AddWorkFleetData();
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILogger<DatabaseMigrator>>();
        try
        {
            await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(RolePasswords.FromEnvironment(), CancellationToken.None);
            return 0;
        }
        catch (Exception exception) when (exception is InvalidOperationException or Npgsql.NpgsqlException)
        {
            logger.LogCritical("Migrate step failed: {Error}", exception.Message);
            return 1;
        }
    }
}
