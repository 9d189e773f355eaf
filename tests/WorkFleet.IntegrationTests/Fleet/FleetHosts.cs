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
        StartAsync(BuildDispatcher(rabbit, database, configure));

    /// <summary>A dispatcher host with extra configuration <paramref name="settings"/> (keys as in appsettings), started.</summary>
    public static Task<IHost> StartDispatcherAsync(RabbitMqEndpoint rabbit, string database, IReadOnlyDictionary<string, string?> settings) =>
        StartAsync(Build(rabbit, database, builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.AddWorkFleetDispatcher();
        }));

    /// <summary>A worker host, started.</summary>
    public static Task<IHost> StartWorkerAsync(RabbitMqEndpoint rabbit, Action<WorkerOptions> configure) =>
        StartAsync(BuildWorker(rabbit, configure));

    /// <summary>A producer host, started.</summary>
    public static Task<IHost> StartClientAsync(RabbitMqEndpoint rabbit) =>
        StartAsync(Build(rabbit, database: null, builder => builder.AddWorkFleetClient()));

    /// <summary>A dispatcher host, built but not started; <paramref name="customize"/> may add to its builder (e.g. logging).</summary>
    public static IHost BuildDispatcher(RabbitMqEndpoint rabbit, string database, Action<DispatcherOptions>? configure = null, Action<HostApplicationBuilder>? customize = null) =>
        Build(rabbit, database, builder =>
        {
            customize?.Invoke(builder);
            builder.AddWorkFleetDispatcher(configure);
        });

    /// <summary>A worker host, built but not started; <paramref name="customize"/> may add to its builder (e.g. logging).</summary>
    public static IHost BuildWorker(RabbitMqEndpoint rabbit, Action<WorkerOptions> configure, Action<HostApplicationBuilder>? customize = null) =>
        Build(rabbit, database: null, builder =>
        {
            customize?.Invoke(builder);
            builder.AddWorkFleetWorker(configure);
        });

    /// <summary>
    /// A dispatcher host as <c>WorkFleet.DispatcherHost</c> runs it, with its dashboard on a free loopback port and
    /// <see cref="DashboardApiKey"/> as its admin key; returns the host and the dashboard's base address.
    /// </summary>
    public static async Task<(IHost Host, Uri Dashboard)> StartDispatcherWithDashboardAsync(
        RabbitMqEndpoint rabbit, string database, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var dashboard = new Dictionary<string, string?>
        {
            ["WorkFleet:Dashboard:ApiKeys:0:Name"] = "tests",
            ["WorkFleet:Dashboard:ApiKeys:0:Role"] = "Admin",
            ["WorkFleet:Dashboard:ApiKeys:0:Key"] = DashboardApiKey,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            dashboard[key] = value;
        }

        var app = BuildDispatcherWithDashboard(rabbit, database, dashboard);
        return (app, await StartDashboardAsync(app));
    }

    /// <summary>
    /// A dispatcher with its dashboard as <c>WorkFleet.DispatcherHost</c> runs it, built but not started, its dashboard
    /// to listen on a free loopback port with exactly <paramref name="dashboardSettings"/> (no default key);
    /// <paramref name="customize"/> may add to its builder (e.g. logging).
    /// </summary>
    public static WebApplication BuildDispatcherWithDashboard(
        RabbitMqEndpoint rabbit, string database, IReadOnlyDictionary<string, string?> dashboardSettings, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "Test" });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(StackSettings(rabbit, database));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["WorkFleet:Dashboard:Urls"] = "http://127.0.0.1:0" });
        builder.Configuration.AddInMemoryCollection(dashboardSettings);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        customize?.Invoke(builder);
        builder.AddWorkFleetDispatcher();
        builder.AddWorkFleetDashboard();
        var app = builder.Build();
        app.UseWorkFleetDashboard();
        app.MapWorkFleetDashboard();
        return app;
    }

    /// <summary>Starts <paramref name="app"/> (built by <see cref="BuildDispatcherWithDashboard"/>) and returns its dashboard's base address.</summary>
    public static async Task<Uri> StartDashboardAsync(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.StartAsync();
        return new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    private static IHost Build(RabbitMqEndpoint rabbit, string? database, Action<HostApplicationBuilder> addRole)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = "Test" });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(StackSettings(rabbit, database));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        addRole(builder);
        return builder.Build();
    }

    private static async Task<IHost> StartAsync(IHost host)
    {
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
