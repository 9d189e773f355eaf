using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using WorkFleet.Worker.Execution;

namespace WorkFleet.Worker.Hosting;

/// <summary>
/// The worker's only HTTP endpoint, opt-in through <c>WorkFleet:Worker:HealthUrls</c>: <c>GET /healthz</c> answers 200
/// while the host runs and no hosted worker drains, 503 otherwise, so a Kubernetes readiness probe sees a draining pod
/// as not ready; <c>GET /metrics</c> serves the host's metrics (the <c>WorkFleet.Worker</c> meter) in Prometheus text,
/// open like <c>/healthz</c>: bind it to an address only the scraper reaches. It stops last: hosts stop their services
/// after every worker finished draining (StoppingAsync).
/// </summary>
public sealed class WorkerHealthEndpoint(
    IReadOnlyList<string> urls,
    WorkerRuntimes runtimes,
    IHostApplicationLifetime lifetime,
    ILogger<WorkerHealthEndpoint> logger,
    MeterProvider? meterProvider = null) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The addresses it listens on once started (a port 0 resolved to the one taken).</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    /// <summary>Parses <c>WorkFleet:Worker:HealthUrls</c>, naming the setting when a URL is not usable.</summary>
    public static IReadOnlyList<string> ParseUrls(string setting)
    {
        var urls = (setting ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new InvalidOperationException($"WorkFleet:Worker:HealthUrls: '{url}' is not an absolute http or https URL (e.g. http://0.0.0.0:8081).");
            }
        }

        return urls.Length > 0 ? urls : throw new InvalidOperationException("WorkFleet:Worker:HealthUrls is empty; give a URL such as http://0.0.0.0:8081.");
    }

    /// <summary>Whether the worker takes work: the host has started, is not stopping, and no hosted worker drains.</summary>
    public bool IsReady =>
        lifetime.ApplicationStarted.IsCancellationRequested
        && !lifetime.ApplicationStopping.IsCancellationRequested
        && runtimes.All.Count > 0
        && runtimes.All.All(r => !r.IsDraining);

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls([.. urls]);
        var app = builder.Build();
        app.MapGet("/healthz", () => IsReady ? Results.Text("ok") : Results.Text(State, statusCode: StatusCodes.Status503ServiceUnavailable));
        if (meterProvider is not null)
        {
            // The provider, and its Prometheus reader, belong to the worker's host, not to this small web app.
            app.MapPrometheusScrapingEndpoint("/metrics", meterProvider, configureBranchedPipeline: null, optionsName: null);
        }

        await app.StartAsync(cancellationToken);
        _app = app;
        Addresses = [.. app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? []];
        logger.LogInformation("Worker health endpoint listening on {Urls}/healthz", string.Join(", ", Addresses));
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private string State =>
        !lifetime.ApplicationStarted.IsCancellationRequested ? "starting"
        : lifetime.ApplicationStopping.IsCancellationRequested ? "stopping"
        : "draining";
}
