using System.Diagnostics;
using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using DotNet.Testcontainers.Configurations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using WorkFleet.Dispatcher.Autoscaling.Executors;
using WorkFleet.Dispatcher.Autoscaling.Executors.Docker;
using WorkFleet.Testing;

namespace WorkFleet.IntegrationTests.Autoscaling;

/// <summary>
/// The docker executor against the real engine: a compose-labelled template container (image
/// <c>workfleet/runtime:local</c> running <c>sleep</c>) on its own project network stands in for a compose worker.
/// Each test has its own project name; everything labelled with it is removed afterwards.
/// </summary>
[Trait("Category", "Autoscale")]
public sealed class DockerFleetExecutorTests : IAsyncLifetime
{
    private const string Image = "workfleet/runtime:local";
    private const string Service = "worker";
    private const string WorkerIdVariable = "WorkFleet__Worker__WorkerId";

    // The labels of the fixture's containers (ServerContainers), by which test.sh removes what aborted runs left.
    private const string TestLabel = "workfleet.test";
    private const string OwnerPidLabel = "workfleet.test.pid";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly string _project = $"wfdocker{Guid.NewGuid().ToString("N")[..10]}";
    private readonly DockerClient _docker;
    private readonly string _endpoint;

    public DockerFleetExecutorTests()
    {
        using var configuration = TestcontainersSettings.OS.DockerEndpointAuthConfig.GetDockerClientConfiguration();
        _docker = configuration.CreateClient();
        _endpoint = TestcontainersSettings.OS.DockerEndpointAuthConfig.Endpoint.ToString();
    }

    private string Network => $"{_project}_default";

    private string TemplateName => $"{_project}-{Service}-1";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        var containers = await _docker.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = ProjectFilter() });
        foreach (var container in containers)
        {
            await _docker.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true, RemoveVolumes = true });
        }

        var networks = await _docker.Networks.ListNetworksAsync(new NetworksListParameters { Filters = ProjectFilter() });
        foreach (var network in networks)
        {
            await _docker.Networks.DeleteNetworkAsync(network.ID);
        }

        _docker.Dispose();
    }

    [Fact]
    public async Task AddAsync_Two_StartsClonesOfTheTemplateNamedAndNumberedAsCompose()
    {
        // Arrange
        var template = await StartTemplateAsync();
        using var executor = CreateExecutor();
        Assert.Equal(1, await executor.CountAsync(default));

        // Act
        await executor.AddAsync(2, default);

        // Assert
        Assert.Equal(3, await executor.CountAsync(default));
        var clones = (await InspectProjectAsync()).Where(c => c.ID != template.ID).ToList();
        Assert.Equal(2, clones.Count);
        foreach (var clone in clones)
        {
            var name = clone.Name.TrimStart('/');
            Assert.True(clone.State.Running, $"{name} is {clone.State.Status}");
            Assert.Equal(template.Config.Image, clone.Config.Image);
            Assert.Equal(template.Config.Cmd, clone.Config.Cmd);
            Assert.Contains("WORKFLEET_TEST_MARKER=template-env", clone.Config.Env);
            Assert.Equal([$"{WorkerIdVariable}={name}"], clone.Config.Env.Where(e => e.StartsWith(WorkerIdVariable + "=", StringComparison.Ordinal)));
            Assert.Equal(_project, clone.Config.Labels["com.docker.compose.project"]);
            Assert.Equal(Service, clone.Config.Labels["com.docker.compose.service"]);
            Assert.Equal("1", clone.Config.Labels[TestLabel]);
            Assert.Equal($"{_project}-{Service}-{clone.Config.Labels["com.docker.compose.container-number"]}", name);
            Assert.Equal(template.HostConfig.Memory, clone.HostConfig.Memory);
            Assert.Equal(RestartPolicyKind.UnlessStopped, clone.HostConfig.RestartPolicy.Name);
            Assert.Equal(template.Config.StopTimeout, clone.Config.StopTimeout);
            Assert.Contains(Service, clone.NetworkSettings.Networks[Network].Aliases);
        }

        var numbers = (await InspectProjectAsync()).Select(c => c.Config.Labels["com.docker.compose.container-number"]).ToList();
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
    }

    [Fact]
    public async Task ReleaseAsync_CloneName_TurnsItsRestartPolicyOffAndStopsCountingIt()
    {
        // Arrange
        var template = await StartTemplateAsync();
        using var executor = CreateExecutor();
        await executor.AddAsync(1, default);
        var clone = (await InspectProjectAsync()).Single(c => c.ID != template.ID);

        // Act
        await executor.ReleaseAsync([clone.Name.TrimStart('/')], default);

        // Assert
        var released = await _docker.Containers.InspectContainerAsync(clone.ID);
        Assert.Equal(RestartPolicyKind.No, released.HostConfig.RestartPolicy.Name);
        Assert.Equal(RestartPolicyKind.UnlessStopped, (await _docker.Containers.InspectContainerAsync(template.ID)).HostConfig.RestartPolicy.Name);
        Assert.Equal(1, await executor.CountAsync(default));
    }

    [Fact]
    public async Task ReleaseAsync_IdDerivedFromHostname_MapsToTheComposeContainer()
    {
        // Arrange: a compose-made worker's id is its host name, '-', a random suffix
        var template = await StartTemplateAsync();
        using var executor = CreateExecutor();

        // Act
        await executor.ReleaseAsync([$"{template.Config.Hostname}-a1b2c3"], default);

        // Assert
        var released = await _docker.Containers.InspectContainerAsync(template.ID);
        Assert.Equal(RestartPolicyKind.No, released.HostConfig.RestartPolicy.Name);
        Assert.Equal(0, await executor.CountAsync(default));
    }

    [Fact]
    public async Task RemoveAsync_UnknownId_LoggedAndNothingRemoved()
    {
        // Arrange
        await StartTemplateAsync();
        var logger = new FakeLogger<DockerFleetExecutor>();
        using var executor = DockerFleetExecutor.Create(Options(), logger);

        // Act
        await executor.RemoveAsync(["no-such-worker"], default);

        // Assert
        Assert.Equal(1, await executor.CountAsync(default));
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("no-such-worker", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RemoveAsync_AllWorkers_RemovesClonesAndStopsTheLastThenAddAsyncWakesIt()
    {
        // Arrange
        var template = await StartTemplateAsync();
        using var executor = CreateExecutor();
        await executor.AddAsync(2, default);
        var ids = (await InspectProjectAsync()).Select(c => c.Name.TrimStart('/')).ToList();
        await executor.ReleaseAsync(ids, default);

        // Act
        await executor.RemoveAsync(ids, default);

        // Assert: only the template is left, stopped, with its restart policy back for when it is woken
        var left = await InspectProjectAsync();
        var kept = Assert.Single(left);
        Assert.Equal(template.ID, kept.ID);
        Assert.False(kept.State.Running, $"the kept container is {kept.State.Status}");
        Assert.Equal(RestartPolicyKind.UnlessStopped, kept.HostConfig.RestartPolicy.Name);
        Assert.Equal(0, await executor.CountAsync(default));

        // Act: scale up from zero
        await executor.AddAsync(2, default);

        // Assert
        var woken = await _docker.Containers.InspectContainerAsync(template.ID);
        Assert.True(woken.State.Running, $"the kept container is {woken.State.Status}");
        Assert.Equal(2, await executor.CountAsync(default));
        Assert.Equal(2, (await InspectProjectAsync()).Count(c => c.State.Running));
    }

    [Fact]
    public async Task AddAsync_ProjectStartedByDockerCompose_CloneNamedAsComposeAndRemovedByComposeDown()
    {
        // Arrange: a real compose project (docker-compose v1, which infra/scripts/ensure-docker.sh installs)
        var directory = Directory.CreateTempSubdirectory("wfdocker");
        try
        {
            var file = Path.Combine(directory.FullName, "docker-compose.yml");
            await File.WriteAllTextAsync(file, $"""
                version: "3.8"
                services:
                  {Service}:
                    image: {Image}
                    command: ["sleep", "600"]
                    stop_grace_period: 1s
                    restart: unless-stopped
                    labels:
                      {TestLabel}: "1"
                      {OwnerPidLabel}: "{Environment.ProcessId}"
                """);
            await ComposeAsync(file, "up", "-d");
            using var executor = CreateExecutor();

            // Act
            await executor.AddAsync(1, default);

            // Assert: compose v1 names replicas project_service_N; the clone follows, and compose owns it
            Assert.Equal(2, await executor.CountAsync(default));
            var names = (await InspectProjectAsync()).Select(c => c.Name.TrimStart('/')).Order().ToList();
            Assert.Equal([$"{_project}_{Service}_1", $"{_project}_{Service}_2"], names);
            await ComposeAsync(file, "down", "--timeout", "1");
            Assert.Empty(await InspectProjectAsync());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task CountAsync_UnreachableEngine_ExecutorExceptionNamesEndpointAndFix()
    {
        // Arrange
        const string endpoint = "unix:///nonexistent.sock";
        using var executor = DockerFleetExecutor.Create(new DockerExecutorOptions { Endpoint = endpoint, Project = _project }, NullLogger.Instance);

        // Act
        var exception = await Assert.ThrowsAsync<ExecutorException>(() => executor.CountAsync(default));

        // Assert
        Assert.Contains(endpoint, exception.Message, StringComparison.Ordinal);
        Assert.Contains("docker.sock", exception.Message.Replace(endpoint, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("WorkFleet:Autoscaler:Docker:Endpoint", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAsync_NoTemplateContainer_ExecutorExceptionNamesProjectAndService()
    {
        // Arrange: nothing runs in this project
        using var executor = CreateExecutor();

        // Act
        var exception = await Assert.ThrowsAsync<ExecutorException>(() => executor.AddAsync(1, default));

        // Assert
        Assert.Contains($"'{_project}'", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"'{Service}'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("at least one worker", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NoProject_ExecutorExceptionNamesTheSetting()
    {
        var exception = Assert.Throws<ExecutorException>(() => DockerFleetExecutor.Create(new DockerExecutorOptions(), NullLogger.Instance));

        Assert.Contains("WorkFleet:Autoscaler:Docker:Project", exception.Message, StringComparison.Ordinal);
    }

    private DockerExecutorOptions Options() => new() { Endpoint = _endpoint, Project = _project, Service = Service };

    private DockerFleetExecutor CreateExecutor() => DockerFleetExecutor.Create(Options(), NullLogger.Instance);

    private Dictionary<string, IDictionary<string, bool>> ProjectFilter() =>
        new() { ["label"] = new Dictionary<string, bool> { [$"com.docker.compose.project={_project}"] = true } };

    private Dictionary<string, string> Labels(params (string Key, string Value)[] more)
    {
        var labels = new Dictionary<string, string>
        {
            ["com.docker.compose.project"] = _project,
            [TestLabel] = "1",
            [OwnerPidLabel] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in more)
        {
            labels[key] = value;
        }

        return labels;
    }

    /// <summary>A container as compose v2 makes one for replica 1 of the service, on the project's network.</summary>
    private async Task<ContainerInspectResponse> StartTemplateAsync()
    {
        await _docker.Networks.CreateNetworkAsync(new NetworksCreateParameters
        {
            Name = Network,
            Labels = Labels(("com.docker.compose.network", "default")),
        });
        var created = await _docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = TemplateName,
            Image = Image,
            Cmd = ["sleep", "600"],
            Env = ["WORKFLEET_TEST_MARKER=template-env", $"{WorkerIdVariable}=from-template"],
            Labels = Labels(
                ("com.docker.compose.service", Service),
                ("com.docker.compose.container-number", "1"),
                ("com.docker.compose.oneoff", "False")),
            StopTimeout = TimeSpan.FromSeconds(1),
            HostConfig = new HostConfig
            {
                NetworkMode = Network,
                Memory = 256L * 1024 * 1024,
                RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.UnlessStopped },
            },
            NetworkingConfig = new NetworkingConfig
            {
                EndpointsConfig = new Dictionary<string, EndpointSettings> { [Network] = new() { Aliases = [Service] } },
            },
        });
        await _docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        return await Eventually.UntilAsync(
            () => _docker.Containers.InspectContainerAsync(created.ID),
            c => c.State.Running,
            Timeout,
            "the template container running");
    }

    private async Task ComposeAsync(string file, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("docker-compose") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-p", _project, "-f", file, .. arguments])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(process.ExitCode == 0, $"docker-compose {string.Join(' ', arguments)} exited {process.ExitCode}: {await output}{await error}");
    }

    private async Task<List<ContainerInspectResponse>> InspectProjectAsync()
    {
        var containers = await _docker.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = ProjectFilter() });
        var inspected = new List<ContainerInspectResponse>();
        foreach (var container in containers)
        {
            inspected.Add(await _docker.Containers.InspectContainerAsync(container.ID));
        }

        return inspected;
    }
}
