using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using WorkFleet.CommandLine;
using WorkFleet.Jobs;

namespace WorkFleet.Cli.Commands;

/// <summary><c>workfleet jobs</c>: the job types a worker built from this CLI's libraries runs, with their input schemas.</summary>
public static class JobsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON line (last line of stdout): {\"jobs\":[{\"type\":...,\"inputSchema\":{...}}]}" };
        var command = new Command("jobs", "List the job types with their input schemas and requirements") { json };
        command.SetAction(result =>
        {
            var builder = CliHost.CreateBuilder();
            builder.Services.AddBuiltInJobs();
            using var host = builder.Build();
            var jobs = host.Services.GetRequiredService<JobHandlerRegistry>().Describe();
            if (result.GetValue(json))
            {
                Json.WriteLine(new
                {
                    jobs = jobs.Select(j => new
                    {
                        type = j.JobType,
                        description = j.Description,
                        supportsBatching = j.SupportsBatching,
                        requirements = new { capabilities = j.Requirements.Capabilities, memoryMb = j.Requirements.MemoryMb },
                        inputSchema = j.InputSchema,
                    }),
                });
                return 0;
            }

            // The type is what users copy into `submit --job`: never wrapped, whatever the terminal width.
            var table = new Table()
                .AddColumn(new TableColumn("job type").NoWrap())
                .AddColumns("description", "input (* required)", "batching", "requires");
            foreach (var job in jobs)
            {
                table.AddRow(
                    Markup.Escape(job.JobType),
                    Markup.Escape(job.Description ?? string.Empty),
                    Markup.Escape(DescribeInput(job.InputSchema)),
                    job.SupportsBatching ? "yes" : "no",
                    Markup.Escape(DescribeRequirements(job.Requirements)));
            }

            AnsiConsole.Write(table);
            AnsiConsole.WriteLine("Full input schemas: workfleet jobs --json. Try one: workfleet run-job TYPE --input samples/jobs/TYPE.json");
            return 0;
        });
        return command;
    }

    private static string DescribeInput(JsonElement? schema)
    {
        if (schema is not { } s || !s.TryGetProperty("properties", out var properties))
        {
            return "(any JSON)";
        }

        var required = s.TryGetProperty("required", out var names) ? names.EnumerateArray().Select(n => n.GetString()).ToHashSet() : [];
        return string.Join("\n", properties.EnumerateObject().Select(p =>
        {
            var type = p.Value.TryGetProperty("type", out var t)
                ? t.ValueKind == JsonValueKind.Array ? string.Join('|', t.EnumerateArray().Select(x => x.GetString()).Where(x => x != "null")) : t.GetString()
                : p.Value.TryGetProperty("enum", out var values) ? string.Join('|', values.EnumerateArray().Select(x => x.GetString())) : "integer|array";
            var defaultValue = p.Value.TryGetProperty("default", out var d) ? $" = {d.GetRawText()}" : string.Empty;
            return $"{p.Name}{(required.Contains(p.Name) ? "*" : string.Empty)}: {type}{defaultValue}";
        }));
    }

    private static string DescribeRequirements(JobRequirements requirements)
    {
        var parts = requirements.Capabilities.ToList();
        if (requirements.MemoryMb is { } memory)
        {
            parts.Add($"{memory} MiB");
        }

        return parts.Count == 0 ? "-" : string.Join(", ", parts);
    }
}
