using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Configurations;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Autoscaling;
using WorkFleet.Testing;

namespace WorkFleet.ChaosTests;

/// <summary>
/// The fleet scales itself on the real stack: a dispatcher process with the docker executor, worker containers
/// (image <c>workfleet/runtime:local</c> running the worker host built by this solution) labelled as a compose
/// project's <c>worker</c> service, RabbitMQ and PostgreSQL. A load ramp makes it start real worker containers;
/// when the load ends it drains them and removes them, back to the minimum, losing and repeating nothing.
/// </summary>
[Collection(ChaosCollection.Name)]
[Trait("Category", "Autoscale")]
public sealed class AutoscaleTests(InfrastructureFixture infrastructure, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Image = "workfleet/runtime:local";
    private const int SleepMs = 1500;
    private const int MaxWorkers = 4;
    private const string DashboardApiKey = "chaos-autoscale-read-key";

    // DispatchedAt is read from the clock just after a slot was granted; a grant made just before the drain can be
    // stamped a little after it on a busy machine. A task handed over after the drain would be stamped later still.
    private static readonly TimeSpan StampSlack = TimeSpan.FromSeconds(1);

    private readonly string _project = $"wfauto{Guid.NewGuid().ToString("N")[..10]}";
    private readonly DockerClient _docker = TestcontainersSettings.OS.DockerEndpointAuthConfig.GetDockerClientConfiguration().CreateClient();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var container in await ProjectContainersAsync())
        {
            await _docker.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true, RemoveVolumes = true });
        }

        _docker.Dispose();
    }

    [Fact]
    public async Task Load_ramp_starts_worker_containers_and_the_fleet_drains_back_to_the_minimum_losing_nothing()
    {
        // Arrange: one worker container, and a dispatcher whose autoscaler may run 1..4 of them.
        await using var fleet = await ChaosFleet.CreateAsync(infrastructure, "autoscale", output);
        var first = $"{_project}-worker-1";
        await StartTemplateWorkerAsync(fleet, first);
        var dashboard = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{FreePort()}/"));
        await fleet.StartDispatcherAsync(overrides: new Dictionary<string, string>
        {
            ["WorkFleet__Dashboard__Urls"] = dashboard.ToString().TrimEnd('/'),
            ["WorkFleet__Dashboard__ApiKeys__0__Name"] = "chaos",
            ["WorkFleet__Dashboard__ApiKeys__0__Role"] = "Read",
            ["WorkFleet__Dashboard__ApiKeys__0__Key"] = DashboardApiKey,
            ["WorkFleet__Autoscaler__Enabled"] = "true",
            ["WorkFleet__Autoscaler__Executor"] = "docker",
            ["WorkFleet__Autoscaler__Docker__Project"] = _project,
            ["WorkFleet__Autoscaler__Docker__Endpoint"] = TestcontainersSettings.OS.DockerEndpointAuthConfig.Endpoint.ToString(),
            ["WorkFleet__Autoscaler__Forecaster"] = AutoscalerFactory.ForecastingOff,
            ["WorkFleet__Autoscaler__Interval"] = "00:00:01",
            ["WorkFleet__Autoscaler__MinWorkers"] = "1",
            ["WorkFleet__Autoscaler__MaxWorkers"] = MaxWorkers.ToString(CultureInfo.InvariantCulture),
            ["WorkFleet__Autoscaler__ScaleDownStabilization"] = "00:00:10",
            ["WorkFleet__Autoscaler__DrainTimeout"] = "00:00:45",
        });
        await fleet.WaitForWorkersAsync([first]);

        // Act: a ramp of diagnostics.sleep tasks (no CPU: the load is tasks × 1.5 s over the slots).
        var ids = new List<Guid>();
        foreach (var wave in new[] { 30, 60, 90 })
        {
            ids.AddRange((await fleet.SubmitAsync(wave, Sleep)).Select(t => t.TaskId));
            await Task.Delay(TimeSpan.FromSeconds(8));
        }

        // Assert: at least 3 more real worker containers joined the fleet while the load lasted.
        var joined = await Eventually.UntilAsync(
            () => fleet.Progress.TryReadLiveWorkersAsync(TimeSpan.FromSeconds(5)),
            live => live is not null && live.Count(id => id.StartsWith(_project + "-worker-", StringComparison.Ordinal)) >= MaxWorkers,
            TimeSpan.FromSeconds(150),
            $"{MaxWorkers} worker containers of {_project} heartbeating");
        fleet.Log($"workers live at the peak: {string.Join(", ", joined!)}");
        var finished = await fleet.WaitForAllTerminalAsync(ids, deadline: TimeSpan.FromSeconds(240), stall: TimeSpan.FromSeconds(60));

        // ... then, the load over, the fleet drains back to one container (the others removed, not just stopped).
        var remaining = await Eventually.UntilAsync(
            ProjectContainersAsync,
            containers => containers.Count == 1 && containers[0].State == "running",
            TimeSpan.FromSeconds(180),
            "the fleet back to one running worker container, the others removed");
        fleet.Log($"left running: {remaining[0].Names[0]}");

        // Every task succeeded exactly once, none was lost, and none went to a worker after its drain began.
        var audit = await fleet.AuditAsync(ids);
        audit.AssertExactlyOnce(context: fleet.DescribeProcesses(40));
        Assert.True(finished, "not every task ended");
        using var http = new HttpClient { BaseAddress = dashboard, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Api-Key", DashboardApiKey);
        var report = await http.GetFromJsonAsync<AutoscalerReport>("api/autoscaler", new JsonSerializerOptions(JsonSerializerDefaults.Web));
        Assert.NotNull(report);
        var drains = report.Drains.Where(d => d.State is DrainTracker.Removed or DrainTracker.TimedOut).ToList();
        Assert.True(drains.Count >= MaxWorkers - 1, $"expected at least {MaxWorkers - 1} completed drains, saw: {string.Join(", ", report.Drains)}");
        foreach (var drain in drains)
        {
            var late = audit.Attempts.Where(a => a.WorkerId == drain.WorkerId && a.DispatchedAt > drain.RequestedAt.UtcDateTime + StampSlack).ToList();
            Assert.True(late.Count == 0, $"{late.Count} attempt(s) dispatched to {drain.WorkerId} after its drain began at {drain.RequestedAt:HH:mm:ss.fff}");
        }

        fleet.Log($"tasks per worker: {string.Join(", ", audit.Attempts.GroupBy(a => a.WorkerId).Select(g => $"{g.Key} x{g.Count()}"))}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static SubmitTask Sleep(WorkFleetClient client, int index) =>
        client.CreateTask("diagnostics.sleep", ChaosJobs.Parse($$"""{"ms":{{SleepMs}}}"""));

    /// <summary>
    /// The first worker, made as compose makes a service's container (the labels the executor scales by): the
    /// runtime image with this machine's .NET and the worker host's build folder mounted read-only, on the host's
    /// network so it reaches the test's RabbitMQ on loopback, as the worker role's user (the executor's copies inherit it).
    /// </summary>
    private async Task StartTemplateWorkerAsync(ChaosFleet fleet, string name)
    {
        var dotnetRoot = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var settings = HostSettings.Worker(fleet.Broker.Worker, name, weight: 1, capacity: 2);
        settings["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1";
        var created = await _docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = name,
            Image = Image,
            Entrypoint = ["/usr/share/dotnet/dotnet", "/app/WorkFleet.WorkerHost.dll"],
            WorkingDir = "/tmp",
            Env = [.. settings.Select(s => $"{s.Key}={s.Value}")],
            Labels = new Dictionary<string, string>
            {
                ["com.docker.compose.project"] = _project,
                ["com.docker.compose.service"] = "worker",
                ["com.docker.compose.container-number"] = "1",
                ["com.docker.compose.oneoff"] = "False",
                ["workfleet.test"] = "1",
                ["workfleet.test.pid"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            },
            StopTimeout = TimeSpan.FromSeconds(30),
            HostConfig = new HostConfig
            {
                NetworkMode = "host",
                Binds = [$"{dotnetRoot}:/usr/share/dotnet:ro", $"{HostProcess.ProgramDirectory(HostKind.Worker)}:/app:ro"],
                RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.UnlessStopped },
            },
        });
        await _docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        fleet.Log($"started worker container {name} ({created.ID[..12]}) from {Image}, .NET from {dotnetRoot}");
    }

    private async Task<IList<ContainerListResponse>> ProjectContainersAsync() =>
        await _docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"com.docker.compose.project={_project}"] = true },
            },
        });
}
