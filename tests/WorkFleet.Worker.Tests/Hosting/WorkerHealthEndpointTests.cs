using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using WorkFleet.Worker.Configuration;
using WorkFleet.Worker.Execution;
using WorkFleet.Worker.Hosting;

namespace WorkFleet.Worker.Tests.Hosting;

/// <summary>The opt-in /healthz a Kubernetes readiness probe calls: 200 while running and not draining, 503 otherwise.</summary>
public sealed class WorkerHealthEndpointTests
{
    [Fact]
    public async Task Healthz_FollowsTheWorkerFromStartingToRunningToDraining()
    {
        var runtimes = new WorkerRuntimes();
        var runtime = runtimes.GetOrAdd(new WorkerOptions { WorkerId = "worker-a" }, o => new WorkerRuntime(o, ["noop"], DateTimeOffset.UnixEpoch));
        var lifetime = new TestLifetime();
        await using var endpoint = new WorkerHealthEndpoint(["http://127.0.0.1:0"], runtimes, lifetime, NullLogger<WorkerHealthEndpoint>.Instance);
        using var http = new HttpClient();
        await endpoint.StartAsync(CancellationToken.None);
        var url = $"{endpoint.Addresses.Single()}/healthz";

        var starting = await http.GetAsync(new Uri(url));
        lifetime.Started.Cancel();
        var running = await http.GetAsync(new Uri(url));
        runtime.BeginDrain();
        var draining = await http.GetAsync(new Uri(url));
        await endpoint.StopAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, starting.StatusCode);
        Assert.Equal(HttpStatusCode.OK, running.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, draining.StatusCode);
        Assert.Equal("draining", await draining.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Healthz_HostStopping_ServiceUnavailable()
    {
        var runtimes = new WorkerRuntimes();
        runtimes.GetOrAdd(new WorkerOptions { WorkerId = "worker-a" }, o => new WorkerRuntime(o, ["noop"], DateTimeOffset.UnixEpoch));
        var lifetime = new TestLifetime();
        lifetime.Started.Cancel();
        lifetime.Stopping.Cancel();
        await using var endpoint = new WorkerHealthEndpoint(["http://127.0.0.1:0"], runtimes, lifetime, NullLogger<WorkerHealthEndpoint>.Instance);
        using var http = new HttpClient();
        await endpoint.StartAsync(CancellationToken.None);

        var response = await http.GetAsync(new Uri($"{endpoint.Addresses.Single()}/healthz"));
        await endpoint.StopAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("http://0.0.0.0:8081", true)]
    public void AddWorkFleetWorker_HealthUrls_RegistersTheEndpointOnlyWhenSet(string? healthUrls, bool expected)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["WorkFleet:Worker:HealthUrls"] = healthUrls });

        builder.AddWorkFleetWorker();

        Assert.Equal(expected, builder.Services.Any(d => d.ServiceType == typeof(IHostedService) && d.ImplementationFactory is not null
            && d.ImplementationFactory.Method.ReturnType == typeof(WorkerHealthEndpoint)));
    }

    [Fact]
    public void AddWorkFleetWorker_HealthUrlNotAUrl_FailsNamingTheSetting()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddWorkFleetWorker(o => o.HealthUrls = "0.0.0.0:8081"));

        Assert.Contains("WorkFleet:Worker:HealthUrls", error.Message, StringComparison.Ordinal);
    }

    private sealed class TestLifetime : IHostApplicationLifetime
    {
        public CancellationTokenSource Started { get; } = new();

        public CancellationTokenSource Stopping { get; } = new();

        public CancellationToken ApplicationStarted => Started.Token;

        public CancellationToken ApplicationStopping => Stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => Stopping.Cancel();
    }
}
