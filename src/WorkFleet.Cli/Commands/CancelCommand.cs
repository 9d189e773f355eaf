using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using WorkFleet.Client;
using WorkFleet.CommandLine;

namespace WorkFleet.Cli.Commands;

/// <summary><c>workfleet cancel ID</c>: cancel a submitted task.</summary>
public static class CancelCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var id = new Argument<Guid>("task-id") { Description = "The task to cancel" };
        var reason = new Option<string?>("--reason") { Description = "Stored with the task's error" };
        var command = new Command("cancel", "Cancel a task: waiting ones fail at once, running ones are stopped") { id, reason };
        command.SetAction(async (result, cancellationToken) =>
        {
            var builder = CliHost.CreateBuilder();
            builder.AddWorkFleetClient(o => o.ListenForResults = false);
            using var host = builder.Build();
            await host.StartAsync(cancellationToken);
            await host.Services.GetRequiredService<WorkFleetClient>().CancelAsync(result.GetValue(id), result.GetValue(reason), cancellationToken);
            await host.StopAsync(CancellationToken.None);
            AnsiConsole.WriteLine($"cancel requested for {result.GetValue(id)}");
            return 0;
        });
        return command;
    }
}
