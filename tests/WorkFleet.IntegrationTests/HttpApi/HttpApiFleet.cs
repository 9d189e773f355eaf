using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WorkFleet.IntegrationTests.Security;

namespace WorkFleet.IntegrationTests.HttpApi;

/// <summary>
/// A dispatcher with its HTTP API (keys of every role, no rate limit) and diagnostic-enabled workers on a test's own
/// virtual host and database; disposing stops them all.
/// </summary>
public sealed class HttpApiFleet : IAsyncDisposable
{
    private readonly RunningHosts _hosts = new();

    private HttpApiFleet(Uri address, string database, RabbitMqEndpoint rabbit) => (Address, Database, Rabbit) = (address, database, rabbit);

    /// <summary>The API's base address.</summary>
    public Uri Address { get; private set; }

    /// <summary>The test's database (connection string).</summary>
    public string Database { get; }

    /// <summary>The test's virtual host.</summary>
    public RabbitMqEndpoint Rabbit { get; }

    /// <summary>The dispatcher's services.</summary>
    public IServiceProvider DispatcherServices { get; private set; } = null!;

    /// <summary>The services of each worker, in start order.</summary>
    public IReadOnlyList<IServiceProvider> WorkerServices => [.. _workers.Select(w => w.Services)];

    private readonly List<IHost> _workers = [];

    /// <summary>
    /// Starts the fleet: a dispatcher (as <paramref name="dispatcherBroker"/>'s user when given) with
    /// <paramref name="settings"/> added to its configuration and <paramref name="dispatcherServices"/> to its services,
    /// and <paramref name="workers"/> workers of capacity 4 with <paramref name="workerServices"/>.
    /// </summary>
    public static async Task<HttpApiFleet> StartAsync(
        InfrastructureFixture infrastructure,
        string name,
        int workers = 1,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? dispatcherServices = null,
        Action<IServiceCollection>? workerServices = null,
        Func<RabbitMqEndpoint, Task<RabbitMqEndpoint>>? dispatcherBroker = null)
    {
        ArgumentNullException.ThrowIfNull(infrastructure);
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique(name));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique(name));
        var fleet = new HttpApiFleet(new Uri("http://127.0.0.1/"), database, rabbit);
        try
        {
            var configuration = HttpSecuredDashboard.WithKeys();
            configuration["WorkFleet:Dashboard:RateLimitPermits"] = "0";
            configuration["WorkFleet:Dashboard:Api:StorePollInterval"] = "00:00:00.250";
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                configuration[key] = value;
            }

            var broker = dispatcherBroker is null ? rabbit : await dispatcherBroker(rabbit);
            var app = FleetHosts.BuildDispatcherWithDashboard(broker, database, configuration, builder => dispatcherServices?.Invoke(builder.Services));
            fleet._hosts.Add<IHost>(app);
            fleet.Address = await FleetHosts.StartDashboardAsync(app);
            fleet.DispatcherServices = app.Services;
            for (var i = 0; i < workers; i++)
            {
                var id = $"{name}-w{i + 1}";
                var worker = FleetHosts.BuildWorker(rabbit, o => (o.WorkerId, o.Capacity, o.EnableDiagnosticJobs) = (id, 4, true), builder => workerServices?.Invoke(builder.Services));
                fleet._hosts.Add(worker);
                await worker.StartAsync();
                fleet._workers.Add(worker);
            }

            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts another dispatcher (without HTTP) on the same broker and store, with <paramref name="services"/> added.</summary>
    public async Task<IHost> StartPeerDispatcherAsync(Action<IServiceCollection> services)
    {
        var peer = FleetHosts.BuildDispatcher(Rabbit, Database, customize: builder => services(builder.Services));
        _hosts.Add(peer);
        await peer.StartAsync();
        return peer;
    }

    /// <summary>A client of the API sending <paramref name="key"/> as a bearer token (none when null).</summary>
    public HttpClient Client(string? key = HttpSecuredDashboard.SubmitKey)
    {
        var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(90) };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return http;
    }

    /// <summary>A JSON request body.</summary>
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>The JSON body of <paramref name="response"/>, parsed.</summary>
    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return ParseJson(await response.Content.ReadAsStringAsync());
    }

    /// <summary><paramref name="json"/>, parsed.</summary>
    public static JsonElement ParseJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>The state of task <paramref name="taskId"/> once it has an outcome (long-polling with <c>?wait=30s</c>), failing after 2 minutes.</summary>
    public static Task<JsonElement> WaitForOutcomeAsync(HttpClient http, Guid taskId)
    {
        ArgumentNullException.ThrowIfNull(http);
        return Eventually.UntilAsync(
            async () =>
            {
                using var response = await http.GetAsync(new Uri($"api/tasks/{taskId}?wait=30s", UriKind.Relative));
                return response.IsSuccessStatusCode ? await ReadJsonAsync(response) : default;
            },
            task => task.ValueKind == JsonValueKind.Object && task.GetProperty("status").GetString() is "Succeeded" or "Failed",
            TimeSpan.FromMinutes(2),
            $"an outcome of task {taskId} over HTTP");
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _hosts.DisposeAsync();
}
