using System.CommandLine;
using Spectre.Console;
using WorkFleet.Cli.Http;
using WorkFleet.Cli.Top;
using WorkFleet.Dashboard.Status;

namespace WorkFleet.Cli.Commands;

/// <summary>
/// <c>workfleet top</c>: a live terminal view of a dispatcher's fleet (workers with load bars against capacity, waiting
/// tasks, throughput) from its <c>/api/status</c>, redrawn every <c>--interval</c> until Ctrl+C; <c>--once</c> prints one frame.
/// </summary>
public static class TopCommand
{
    /// <summary>How many refreshes the throughput line covers.</summary>
    public const int RateSamples = 60;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var url = new Option<string>("--url")
        {
            Description = $"The dispatcher's dashboard address (default {DashboardApi.DefaultUrl})",
            DefaultValueFactory = _ => DashboardApi.DefaultUrl,
        };
        var apiKey = ApiKeyOption.Create();
        var interval = new Option<TimeSpan>("--interval") { Description = "Time between refreshes (default 00:00:01)", DefaultValueFactory = _ => TimeSpan.FromSeconds(1) };
        var once = new Option<bool>("--once") { Description = "Print one frame and exit" };
        var command = new Command("top", "Live view of workers, load, waiting tasks and throughput, until Ctrl+C") { url, apiKey, interval, once };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (DashboardApi.ParseBaseAddress(result.GetValue(url)) is not { } baseAddress)
            {
                await Console.Error.WriteLineAsync($"error: --url '{result.GetValue(url)}' is not an http(s) address such as {DashboardApi.DefaultUrl}");
                return 2;
            }

            var every = result.GetValue(interval);
            if (every <= TimeSpan.Zero)
            {
                await Console.Error.WriteLineAsync($"error: --interval must be positive, got {every}");
                return 2;
            }

            using var api = new DashboardApi(baseAddress, ApiKeyOption.Resolve(result.GetValue(apiKey)), TimeSpan.FromSeconds(10));
            var rates = new RateHistory(RateSamples);
            DispatcherStatus status;
            try
            {
                status = await api.GetAsync<DispatcherStatus>("api/status", cancellationToken);
            }
            catch (DashboardApiException ex)
            {
                await Console.Error.WriteLineAsync("error: " + ex.Message);
                return 2;
            }

            rates.Add(status.Fleet.CompletionRate);
            if (result.GetValue(once))
            {
                AnsiConsole.Write(TopFrame.Render(status, rates.Rates));
                return 0;
            }

            // A fleet taller than the terminal loses its last workers, never the header and the figures above them.
            await AnsiConsole.Live(TopFrame.Render(status, rates.Rates))
                .Overflow(VerticalOverflow.Ellipsis)
                .Cropping(VerticalOverflowCropping.Bottom)
                .StartAsync(async live =>
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    string? error = null;
                    try
                    {
                        await Task.Delay(every, cancellationToken);
                        status = await api.GetAsync<DispatcherStatus>("api/status", cancellationToken);
                        rates.Add(status.Fleet.CompletionRate);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (DashboardApiException ex)
                    {
                        // A restarting dispatcher should not end the view: keep the last frame, say why it is stale, retry.
                        error = ex.Message;
                    }

                    live.UpdateTarget(TopFrame.Render(status, rates.Rates, error));
                }
            });
            return 0;
        });
        return command;
    }
}
