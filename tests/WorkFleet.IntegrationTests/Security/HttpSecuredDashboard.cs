using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace WorkFleet.IntegrationTests.Security;

/// <summary>
/// A dispatcher with its dashboard as <c>WorkFleet.DispatcherHost</c> runs it, on a test's virtual host and database,
/// with exactly the dashboard settings a test gives (no default key) and its logs collected.
/// </summary>
public sealed class HttpSecuredDashboard : IAsyncDisposable
{
    /// <summary>A read key configured by <see cref="WithKeys"/>.</summary>
    public const string ReadKey = "http-security-read-key-0001";

    /// <summary>A submit key configured by <see cref="WithKeys"/>.</summary>
    public const string SubmitKey = "http-security-submit-key-0001";

    /// <summary>An admin key configured by <see cref="WithKeys"/>.</summary>
    public const string AdminKey = "http-security-admin-key-0001";

    private readonly WebApplication _app;

    private HttpSecuredDashboard(WebApplication app, Uri address, FakeLogCollector logs) => (_app, Address, Logs) = (app, address, logs);

    /// <summary>The dashboard's base address.</summary>
    public Uri Address { get; }

    /// <summary>Everything the host logged.</summary>
    public FakeLogCollector Logs { get; }

    /// <summary>Every endpoint the app maps, as its router sees them.</summary>
    public IReadOnlyList<RouteEndpoint> Endpoints =>
        [.. _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()];

    /// <summary>Dashboard settings with one key per role (<see cref="ReadKey"/>, <see cref="SubmitKey"/>, <see cref="AdminKey"/>).</summary>
    public static Dictionary<string, string?> WithKeys() => new()
    {
        ["WorkFleet:Dashboard:ApiKeys:0:Name"] = "reader",
        ["WorkFleet:Dashboard:ApiKeys:0:Role"] = "Read",
        ["WorkFleet:Dashboard:ApiKeys:0:Key"] = ReadKey,
        ["WorkFleet:Dashboard:ApiKeys:1:Name"] = "submitter",
        ["WorkFleet:Dashboard:ApiKeys:1:Role"] = "Submit",
        ["WorkFleet:Dashboard:ApiKeys:1:Key"] = SubmitKey,
        ["WorkFleet:Dashboard:ApiKeys:2:Name"] = "operator",
        ["WorkFleet:Dashboard:ApiKeys:2:Role"] = "Admin",
        // The admin key is configured by digest only, as an operator who keeps the key out of the host would.
        ["WorkFleet:Dashboard:ApiKeys:2:KeySha256"] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(AdminKey))),
    };

    /// <summary>Starts the dispatcher and its dashboard on a free loopback port with <paramref name="dashboardSettings"/>.</summary>
    public static async Task<HttpSecuredDashboard> StartAsync(RabbitMqEndpoint rabbit, string database, IReadOnlyDictionary<string, string?> dashboardSettings)
    {
        var app = FleetHosts.BuildDispatcherWithDashboard(rabbit, database, dashboardSettings, builder => builder.Logging.AddFakeLogging());
        var address = await FleetHosts.StartDashboardAsync(app);
        return new HttpSecuredDashboard(app, address, app.Services.GetRequiredService<FakeLogCollector>());
    }

    /// <summary>A client of the dashboard that sends <paramref name="key"/> (none when null) as <c>X-Api-Key</c>.</summary>
    public HttpClient Client(string? key = null)
    {
        var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(10) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return http;
    }

    /// <summary>The app, as a host for <see cref="RunningHosts"/>.</summary>
    public IHost Host => _app;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
