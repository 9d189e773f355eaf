using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkFleet.Dashboard.Configuration;

namespace WorkFleet.Dashboard.Security;

/// <summary>
/// Once the dashboard listens, says how to get in when nobody configured it: the URL with the generated key (as Jupyter
/// does with its token), or that the API is open when authentication is off. Both at Warning level, once.
/// </summary>
internal sealed class DashboardAccessAnnouncement(
    IHostApplicationLifetime lifetime,
    IServer server,
    DashboardOptions options,
    IServiceProvider services,
    ILogger<DashboardAccessAnnouncement> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Announce);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A bound address a browser can open: a wildcard host becomes 127.0.0.1.</summary>
    public static string Browsable(string address) => address
        .Replace("://0.0.0.0:", "://127.0.0.1:", StringComparison.Ordinal)
        .Replace("://[::]:", "://127.0.0.1:", StringComparison.Ordinal)
        .Replace("://+:", "://127.0.0.1:", StringComparison.Ordinal)
        .Replace("://*:", "://127.0.0.1:", StringComparison.Ordinal)
        .TrimEnd('/');

    private void Announce()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.Select(Browsable).ToList() ?? [];
        var url = addresses.FirstOrDefault() ?? options.Urls;
        if (options.Authentication == DashboardAuthentication.None)
        {
            logger.LogWarning(
                "{Setting} is None: the dashboard and HTTP API at {Urls} are open to anyone who can reach them.",
                $"{DashboardOptions.SectionName}:Authentication",
                string.Join(", ", addresses));
        }
        else if (services.GetService<GeneratedApiKey>() is { } generated)
        {
            logger.LogWarning(
                "No API key is configured ({Setting}), so an admin key was generated for this run. Open the dashboard at {Url}/#key={Key} (API: header 'Authorization: Bearer <key>').",
                $"{DashboardOptions.SectionName}:ApiKeys",
                url,
                generated.Value);
        }
    }
}
