using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.CommandLine;
using WorkFleet.Jobs;

namespace WorkFleet.Cli.Commands;

/// <summary>
/// <c>workfleet run-job</c>: runs one job in this process through the same handler registry a worker uses,
/// without broker or database, to try an input or debug a handler.
/// </summary>
public static class RunJobCommand
{
    private static readonly JsonSerializerOptions Indented = new(Json.Options) { WriteIndented = true };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var type = new Argument<string>("type") { Description = "Job type, e.g. preprocess.tokenize (see workfleet jobs)" };
        var input = new Option<string>("--input") { Description = "JSON file with the job's input (- for stdin), e.g. samples/jobs/preprocess.tokenize.json", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON line (last line of stdout): {\"type\":...,\"elapsedMs\":...,\"output\":{...}} or {\"type\":...,\"error\":...}" };
        var command = new Command("run-job", "Run one job locally (no fleet) and print its output") { type, input, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var jobType = result.GetValue(type)!;
            var path = result.GetValue(input)!;
            var asJson = result.GetValue(json);
            JsonElement payload;
            try
            {
                var text = path == "-" ? await Console.In.ReadToEndAsync(cancellationToken) : await File.ReadAllTextAsync(path, cancellationToken);
                using var document = JsonDocument.Parse(text);
                payload = document.RootElement.Clone();
            }
            catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync($"--input {path} is not a readable JSON file: {ex.Message}");
                return 2;
            }

            var builder = CliHost.CreateBuilder();
            builder.Services.AddBuiltInJobs();
            using var host = builder.Build();
            var registry = host.Services.GetRequiredService<JobHandlerRegistry>();
            if (!registry.TryGet(jobType, out var handler))
            {
                return await FailAsync(jobType, "unknown-job-type", $"Unknown job type '{jobType}'; known: {string.Join(", ", registry.JobTypes)}.", asJson);
            }

            var progress = new Progress(asJson);
            var watch = Stopwatch.StartNew();
            JsonElement output;
            try
            {
                output = await handler.ExecuteAsync(payload, progress, cancellationToken);
            }
            catch (JobInputException ex)
            {
                return await FailAsync(jobType, "invalid-input", ex.Message, asJson);
            }
            catch (TransientJobException ex)
            {
                return await FailAsync(jobType, "transient", $"{jobType}: temporary failure (a worker would retry): {ex.Message}", asJson);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return await FailAsync(jobType, "handler-error", $"{jobType}: {ex.GetType().Name}: {ex.Message}", asJson);
            }

            var elapsedMs = Math.Round(watch.Elapsed.TotalMilliseconds, 3);
            if (asJson)
            {
                Json.WriteLine(new { type = jobType, elapsedMs, output });
            }
            else
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(output, Indented));
                await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{jobType} ran in {elapsedMs} ms"));
            }

            return 0;
        });
        return command;
    }

    private static async Task<int> FailAsync(string jobType, string errorKind, string error, bool asJson)
    {
        await Console.Error.WriteLineAsync(error);
        if (asJson)
        {
            Json.WriteLine(new { type = jobType, errorKind, error });
        }

        return 1;
    }

    /// <summary>Shows the handler's progress reports on stderr (stdout stays the job's output).</summary>
    private sealed class Progress(bool quiet) : IProgress<JobProgress>
    {
        public void Report(JobProgress value)
        {
            if (!quiet)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {value.Fraction:P0} {value.Message}"));
            }
        }
    }
}
