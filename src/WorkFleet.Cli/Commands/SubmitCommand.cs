using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using WorkFleet.Cli.Submitting;
using WorkFleet.Client;
using WorkFleet.CommandLine;
using WorkFleet.Contracts;

namespace WorkFleet.Cli.Commands;

/// <summary>
/// <c>workfleet submit</c>: send tasks to the real stack (RabbitMQ), optionally waiting for outcomes (with a progress
/// bar when stdout is a terminal).
/// </summary>
public static class SubmitCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var job = new Option<string>("--job") { Description = "Job type, e.g. preprocess.tokenize", Required = true };
        var payload = new Option<string>("--payload") { Description = "JSON payload, or @file to read it from a file", Required = true };
        var count = new Option<int>("--count") { Description = "How many copies to submit", DefaultValueFactory = _ => 1 };
        var priority = new Option<int>("--priority") { Description = "0..9, higher first", DefaultValueFactory = _ => 0 };
        var expectedCost = new Option<double?>("--expected-cost") { Description = "Cost hint: milliseconds the task runs on a worker of weight 1 (read by the cost-aware strategy)" };
        var wait = new Option<bool>("--wait") { Description = "Wait for every outcome" };
        var timeout = new Option<TimeSpan>("--wait-timeout") { Description = "How long --wait waits", DefaultValueFactory = _ => TimeSpan.FromMinutes(5) };
        var json = new Option<bool>("--json") { Description = "Print one JSON line (last line of stdout)" };
        var command = new Command("submit", "Submit tasks to the fleet") { job, payload, count, priority, expectedCost, wait, timeout, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            JsonElement body;
            try
            {
                var text = result.GetValue(payload)!;
                body = JsonDocument.Parse(text.StartsWith('@') ? await File.ReadAllTextAsync(text[1..], cancellationToken) : text).RootElement.Clone();
            }
            catch (Exception ex) when (ex is JsonException or IOException)
            {
                await Console.Error.WriteLineAsync($"--payload is not valid JSON (or the file cannot be read): {ex.Message}");
                return 2;
            }

            var waitForResults = result.GetValue(wait);
            var builder = CliHost.CreateBuilder();
            builder.AddWorkFleetClient(o => o.ListenForResults = waitForResults);
            using var host = builder.Build();
            await host.StartAsync(cancellationToken);
            var client = host.Services.GetRequiredService<WorkFleetClient>();
            var tasks = Enumerable.Range(0, Math.Max(1, result.GetValue(count)))
                .Select(_ => client.CreateTask(result.GetValue(job)!, body, result.GetValue(priority), expectedCost: result.GetValue(expectedCost)))
                .ToList();

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(result.GetValue(timeout));
            var waits = waitForResults ? tasks.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList() : [];
            await client.SubmitManyAsync(tasks, cancellationToken);

            // A bar only where a person watches: redirected output (scripts, --json) keeps its plain lines.
            var outcomes = waitForResults && !result.GetValue(json) && !Console.IsOutputRedirected
                ? await OutcomeCollector.CollectWithProgressAsync(AnsiConsole.Console, waits)
                : await OutcomeCollector.CollectAsync(waits);

            await host.StopAsync(CancellationToken.None);
            if (result.GetValue(json))
            {
                Json.WriteLine(new { submitted = tasks.Count, taskIds = tasks.Select(t => t.TaskId), outcomes });
            }
            else
            {
                foreach (var t in tasks)
                {
                    var outcome = outcomes.FirstOrDefault(o => o.TaskId == t.TaskId);
                    AnsiConsole.WriteLine(outcome is null ? $"{t.TaskId} submitted" : $"{t.TaskId} {outcome.Outcome} {outcome.Error ?? outcome.Result?.GetRawText()}");
                }
            }

            return waitForResults && (outcomes.Count < tasks.Count || outcomes.Any(o => o.Outcome == TaskOutcome.Failed)) ? 1 : 0;
        });
        return command;
    }
}
