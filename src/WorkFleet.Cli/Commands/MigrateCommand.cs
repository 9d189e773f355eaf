using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using WorkFleet.CommandLine;
using WorkFleet.Data;
using WorkFleet.Data.Roles;

namespace WorkFleet.Cli.Commands;

/// <summary>
/// <c>workfleet migrate</c>: brings the PostgreSQL schema up to date as <c>workfleet_owner</c> and grants the
/// runtime roles their rights; with <c>WORKFLEET_POSTGRES_APP_PASSWORD</c> and <c>…_READ_PASSWORD</c> set it
/// first creates or updates the roles (then it must connect as a superuser). Idempotent.
/// </summary>
public static class MigrateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var connection = new Option<string?>("--connection-string") { Description = "Npgsql connection string of the owner role (default: WorkFleet:Database:ConnectionString)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON line (last line of stdout)" };
        var command = new Command("migrate", "Apply the database migrations as the owner role and grant the runtime roles") { connection, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var builder = CliHost.CreateBuilder();
            builder.Services.AddWorkFleetData(o => o.ConnectionString = result.GetValue(connection) ?? o.ConnectionString);
            using var host = builder.Build();
            var applied = await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(RolePasswords.FromEnvironment(), cancellationToken);
            if (result.GetValue(json))
            {
                Json.WriteLine(new { applied });
            }
            else
            {
                AnsiConsole.WriteLine(applied.Count == 0 ? "schema already current; grants applied" : $"applied {applied.Count} migration(s): {string.Join(", ", applied)}; grants applied");
            }

            return 0;
        });
        return command;
    }
}
