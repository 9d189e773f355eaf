using System.CommandLine;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using WorkFleet.CommandLine;
using WorkFleet.Contracts;

namespace WorkFleet.Cli.Commands;

/// <summary><c>workfleet drain WORKER</c>: take a worker out of the fleet without losing or wasting work.</summary>
public static class DrainCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var worker = new Argument<string>("worker-id") { Description = "The worker to drain (as in `workfleet status`)" };
        var reason = new Option<string?>("--reason") { Description = "Why, for the logs" };
        var command = new Command("drain", "Drain a worker: dispatchers send it nothing new; it finishes what it holds and stops") { worker, reason };
        command.SetAction(async (result, cancellationToken) =>
        {
            var builder = CliHost.CreateBuilder();
            builder.AddWorkFleetClient(o => o.ListenForResults = false);
            using var host = builder.Build();
            await host.StartAsync(cancellationToken);
            var id = result.GetValue(worker)!;
            await host.Services.GetRequiredService<IBus>().Publish(
                new DrainWorker { WorkerId = id, Reason = result.GetValue(reason) ?? "workfleet drain", RequestedAt = DateTimeOffset.UtcNow },
                cancellationToken);
            await host.StopAsync(CancellationToken.None);
            AnsiConsole.WriteLine($"drain requested for {id}: it takes no new tasks, finishes what it holds, reports Stopped and exits");
            return 0;
        });
        return command;
    }
}
