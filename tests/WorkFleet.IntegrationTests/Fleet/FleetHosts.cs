using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Worker.Configuration;

namespace WorkFleet.IntegrationTests.Fleet;

/// <summary>
/// Starts the real role hosts (each its own process-like host with its own bus connection) against a
/// test's virtual host and database, exactly as the DispatcherHost/WorkerHost programs do.
/// </summary>
public static class FleetHosts
{
    /// <summary>The admin API key of the dashboards started here (send it as <c>X-Api-Key</c> or <c>Authorization: Bearer</c>).</summary>
    public const string DashboardApiKey = "fleet-hosts-test-admin-key";

    /// <summary>A dispatcher host, started.</summary>
    public static Task<IHost> StartDispatcherAsync(RabbitMqEndpoint rabbit, string database, Action<DispatcherOptions>? configure = null) =>
        StartAsync(rabbit, database, builder => builder.AddWorkFleetDispatcher(configure));

    /// <summary>A dispatcher host with extra configuration <paramref name="settings"/> (keys as in appsettings), started.</summary>
    public static Task<IHost> StartDispatcherAsync(RabbitMqEndpoint rabbit, string database, IReadOnlyDictionary<string, string?> settings) =>
        StartAsync(rabbit, database, builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.AddWorkFleetDispatcher();
        });

    /// <summary>A worker host, started.</summary>
    public static Task<IHost> StartWorkerAsync(RabbitMqEndpoint rabbit, Action<WorkerOptions> configure) =>
        StartAsync(rabbit, database: null, builder => builder.AddWorkFleetWorker(configure));

    /// <summary>A producer host, started.</summary>
    public static Task<IHost> StartClientAsync(RabbitMqEndpoint rabbit) =>
        StartAsync(rabbit, database: null, builder => builder.AddWorkFleetClient());

    /// <summary>
    /// A dispatcher host as <c>WorkFleet.DispatcherHost</c> runs it, with its dashboard on a free loopback port and
    /// <see cref="DashboardApiKey"/> as its admin key; returns the host and the dashboard's base address.
    /// </summary>
    public static async Task<(IHost Host, Uri Dashboard)> StartDispatcherWithDashboardAsync(
        RabbitMqEndpoint rabbit, string database, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Test" });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(StackSettings(rabbit, database));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WorkFleet:Dashboard:Urls"] = "http://127.0.0.1:0",
            ["WorkFleet:Dashboard:ApiKeys:0:Name"] = "tests",
            ["WorkFleet:Dashboard:ApiKeys:0:Role"] = "Admin",
            ["WorkFleet:Dashboard:ApiKeys:0:Key"] = DashboardApiKey,
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        builder.AddWorkFleetDispatcher();
        builder.AddWorkFleetDashboard();
        var app = builder.Build();
        app.UseWorkFleetDashboard();
        app.MapWorkFleetDashboard();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return (app, new Uri(address));
    }

    private static async Task<IHost> StartAsync(RabbitMqEndpoint rabbit, string? database, Action<HostApplicationBuilder> addRole)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = "Test" });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(StackSettings(rabbit, database));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        addRole(builder);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>The transport and database settings of a test's virtual host and database, as configuration keys.</summary>
    public static Dictionary<string, string?> StackSettings(RabbitMqEndpoint rabbit, string? database)
    {
        var settings = rabbit.TransportSettings();
        settings["WorkFleet:Database:Provider"] = "Postgres";
        settings["WorkFleet:Database:ConnectionString"] = database;

        // The test servers' workfleet/workfleet is a known default password: allowed here, with a warning.
        settings["WorkFleet:Security:AllowDefaultPasswords"] = "true";
        return settings;
    }
}
