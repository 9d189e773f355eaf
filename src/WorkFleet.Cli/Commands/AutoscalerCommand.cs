using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using WorkFleet.Cli.Http;
using WorkFleet.CommandLine;
using WorkFleet.Dispatcher.Autoscaling;

namespace WorkFleet.Cli.Commands;

/// <summary>
/// <c>workfleet autoscaler</c>: what the autoscaler measured, forecast and decided, from a dispatcher's
/// <c>/api/autoscaler</c> (the autoscaler lives in the dispatcher's memory, not in the database).
/// </summary>
public static class AutoscalerCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var url = new Option<string>("--url")
        {
            Description = $"The dispatcher's dashboard address (default {DashboardApi.DefaultUrl})",
            DefaultValueFactory = _ => DashboardApi.DefaultUrl,
        };
        var json = new Option<bool>("--json") { Description = "Print the report as one JSON line (last line of stdout)" };
        var decisions = new Option<int>("--decisions") { Description = "How many recent decisions to show", DefaultValueFactory = _ => 10 };
        var apiKey = ApiKeyOption.Create();
        var command = new Command("autoscaler", "Show the autoscaler: current and desired workers, forecast, decisions, drains") { url, json, decisions, apiKey };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (DashboardApi.ParseBaseAddress(result.GetValue(url)) is not { } baseAddress)
            {
                await Console.Error.WriteLineAsync($"error: --url '{result.GetValue(url)}' is not an http(s) address such as {DashboardApi.DefaultUrl}");
                return 2;
            }

            AutoscalerReport report;
            try
            {
                using var api = new DashboardApi(baseAddress, ApiKeyOption.Resolve(result.GetValue(apiKey)), TimeSpan.FromSeconds(10));
                report = await api.GetAsync<AutoscalerReport>("api/autoscaler", cancellationToken);
            }
            catch (DashboardApiException ex)
            {
                await Console.Error.WriteLineAsync("error: " + ex.Message);
                return 2;
            }

            if (result.GetValue(json))
            {
                Json.WriteLine(report);
                return 0;
            }

            Print(report, Math.Max(0, result.GetValue(decisions)));
            return 0;
        });
        return command;
    }

    private static void Print(AutoscalerReport report, int decisions)
    {
        if (!report.Enabled)
        {
            AnsiConsole.WriteLine("autoscaler: off on this dispatcher (WorkFleet:Autoscaler:Enabled=false)");
            return;
        }

        var c = CultureInfo.InvariantCulture;
        AnsiConsole.WriteLine(string.Create(c, $"autoscaler: {report.Role}, executor {report.Executor}, policy {report.Policy}, forecaster {report.Forecaster}"));
        AnsiConsole.WriteLine(string.Create(c,
            $"workers: {Show(report.CurrentWorkers)} now, {Show(report.DesiredWorkers)} desired (bounds {report.MinWorkers}..{report.MaxWorkers}); horizon {report.Horizon.TotalSeconds:0.#} s ({(report.HorizonLearned ? "learned" : "configured")})"));
        if (report.Samples.Count > 0)
        {
            var last = report.Samples[^1];
            AnsiConsole.WriteLine(string.Create(c, $"utilization: {last.Utilization:0.00} measured, {(last.Forecast is { } f ? f.ToString("0.00", c) : "-")} forecast"));
        }

        if (report.LastError is { } error)
        {
            AnsiConsole.MarkupLine($"[red]executor failing:[/] {Markup.Escape(error)}");
        }

        var table = new Table().AddColumns("time (UTC)", "workers", "utilization", "forecast", "desired", "reason");
        foreach (var d in report.Decisions.TakeLast(decisions))
        {
            table.AddRow(d.At.UtcDateTime.ToString("HH:mm:ss", c), d.CurrentWorkers.ToString(c), d.Utilization.ToString("0.00", c),
                d.Forecast is { } f ? f.ToString("0.00", c) : "-", d.DesiredWorkers.ToString(c), Markup.Escape(d.Reason));
        }

        AnsiConsole.Write(table);
        foreach (var drain in report.Drains)
        {
            AnsiConsole.WriteLine(string.Create(c, $"drain {drain.WorkerId}: {drain.State} (since {drain.RequestedAt.UtcDateTime:HH:mm:ss})"));
        }
    }

    private static string Show(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
