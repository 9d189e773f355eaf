using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Spectre.Console;
using WorkFleet.Cli.Errors;
using WorkFleet.CommandLine;
using WorkFleet.Messaging.Configuration;

namespace WorkFleet.Cli.Commands;

/// <summary><c>workfleet errors [replay]</c>: what landed in the error queues, and sending it back.</summary>
public static class ErrorsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var queue = new Option<string[]>("--queue") { Description = "Error queue(s) to read (default: workfleet.submit_error, workfleet.results_error)" };
        var limit = new Option<int>("--limit") { Description = "Messages to show per queue", DefaultValueFactory = _ => 50 };
        var json = new Option<bool>("--json") { Description = "Print one JSON line (last line of stdout)" };
        var command = new Command("errors", "List messages in the error queues (they stay there)") { queue, limit, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var queues = result.GetValue(queue) is { Length: > 0 } named ? named : [.. ErrorQueues.Default];
            var messages = await Connect().ListAsync(queues, Math.Max(1, result.GetValue(limit)), cancellationToken);
            if (result.GetValue(json))
            {
                Json.WriteLine(new { messages });
                return 0;
            }

            var table = new Table().AddColumns("queue", "message id", "reason", "body");
            foreach (var m in messages)
            {
                table.AddRow(Markup.Escape(m.Queue), Markup.Escape(m.MessageId ?? "-"), Markup.Escape(m.Reason ?? "-"), Markup.Escape(m.Body.Length > 80 ? m.Body[..80] + "…" : m.Body));
            }

            AnsiConsole.Write(table);
            AnsiConsole.WriteLine($"{messages.Count} message(s)");
            return 0;
        });

        var replayQueue = new Option<string>("--queue") { Description = "Error queue to replay from", DefaultValueFactory = _ => ErrorQueues.Default[0] };
        var ids = new Option<string[]>("--id") { Description = "Replay only these message ids (default: all)" };
        var replay = new Command("replay", "Send error-queue messages back to the queue they failed on") { replayQueue, ids };
        replay.SetAction(async (result, cancellationToken) =>
        {
            var only = result.GetValue(ids) is { Length: > 0 } selected ? selected.ToHashSet(StringComparer.Ordinal) : null;
            var count = await Connect().ReplayAsync(result.GetValue(replayQueue)!, only, cancellationToken);
            AnsiConsole.WriteLine($"replayed {count} message(s)");
            return 0;
        });
        command.Subcommands.Add(replay);
        return command;
    }

    private static ErrorQueues Connect()
    {
        var configuration = CliHost.CreateBuilder().Configuration;
        var transport = configuration.GetSection(TransportOptions.SectionName).Get<TransportOptions>() ?? new TransportOptions();
        return new ErrorQueues(transport.RabbitMq);
    }
}
