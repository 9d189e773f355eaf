using System.Globalization;
using Docker.DotNet;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Images;
using Microsoft.Extensions.Logging.Abstractions;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace WorkFleet.Testing.Infrastructure;

/// <summary>
/// Starts the RabbitMQ and PostgreSQL containers of a test run with Testcontainers and the modules' own
/// wait strategies. Images are never pulled (no registry is reachable here); each container port is
/// published on a free port of 127.0.0.1 chosen up front, so the mapping survives a restart; every
/// container carries the labels <see cref="TestLabel"/> and <see cref="OwnerPidLabel"/>, by which test.sh
/// removes the leftovers of aborted runs.
/// </summary>
internal static class ServerContainers
{
    /// <summary>Label key put on every test container, with the value "1".</summary>
    public const string TestLabel = "workfleet.test";

    /// <summary>
    /// Label key holding the id of the test process that owns a container, so test.sh removes only the
    /// leftovers of dead runs, not the containers of a run in progress.
    /// </summary>
    public const string OwnerPidLabel = "workfleet.test.pid";

    private const string Loopback = "127.0.0.1";
    private const int MaxStartAttempts = 3;
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(2);

    static ServerContainers()
    {
        // Ryuk, Testcontainers' reaper, is an image no registry here can serve. The fixture removes its
        // containers itself (dispose deletes them while the default session label is on), and test.sh
        // removes those of aborted runs.
        TestcontainersSettings.ResourceReaperEnabled = false;

        // Tests talk to the published loopback ports, never to a bridge address.
        TestcontainersSettings.DockerHostOverride = Loopback;
    }

    /// <summary>Starts RabbitMQ from <paramref name="image"/>, ready once it logs "Server startup complete".</summary>
    public static Task<RabbitMqContainer> StartRabbitMqAsync(string image, string imageSetting, string username, string password) =>
        StartAsync("rabbitmq", image, imageSetting, hostPort => Configure(new RabbitMqBuilder(), "rabbitmq", image, hostPort, RabbitMqBuilder.RabbitMqPort)
            .WithUsername(username)
            .WithPassword(password)
            .Build());

    /// <summary>
    /// Starts RabbitMQ from <paramref name="image"/> that imports <paramref name="definitionsJson"/> at boot
    /// (<c>load_definitions</c> in rabbitmq.conf), as a deployment with a definitions file does.
    /// </summary>
    public static Task<RabbitMqContainer> StartRabbitMqWithDefinitionsAsync(string image, string imageSetting, string definitionsJson) =>
        StartAsync("rabbitmq", image, imageSetting, hostPort => Configure(new RabbitMqBuilder(), "rabbitmq", image, hostPort, RabbitMqBuilder.RabbitMqPort)
            .WithResourceMapping(System.Text.Encoding.UTF8.GetBytes(definitionsJson), "/etc/rabbitmq/definitions.json")
            .WithResourceMapping(System.Text.Encoding.UTF8.GetBytes("load_definitions = /etc/rabbitmq/definitions.json\n"), "/etc/rabbitmq/rabbitmq.conf")
            .Build());

    /// <summary>
    /// Starts RabbitMQ from <paramref name="image"/> with <paramref name="config"/> as its rabbitmq.conf and
    /// <paramref name="files"/> (container path, content) in place, publishing <paramref name="containerPort"/>
    /// (e.g. a TLS listener's 5671) on 127.0.0.1.
    /// </summary>
    public static Task<RabbitMqContainer> StartRabbitMqWithConfigAsync(
        string image, string imageSetting, string config, IReadOnlyDictionary<string, string> files, int containerPort) =>
        StartAsync("rabbitmq", image, imageSetting, hostPort =>
        {
            var builder = Configure(new RabbitMqBuilder(), "rabbitmq", image, hostPort, containerPort)
                .WithResourceMapping(System.Text.Encoding.UTF8.GetBytes(config), "/etc/rabbitmq/rabbitmq.conf");
            foreach (var (path, content) in files)
            {
                builder = builder.WithResourceMapping(System.Text.Encoding.UTF8.GetBytes(content), path);
            }

            return builder.Build();
        });

    /// <summary>Starts PostgreSQL from <paramref name="image"/>, ready once <c>pg_isready</c> succeeds in the container.</summary>
    public static Task<PostgreSqlContainer> StartPostgresAsync(string image, string imageSetting, string username, string password) =>
        StartAsync("postgres", image, imageSetting, hostPort => Configure(new PostgreSqlBuilder(), "postgres", image, hostPort, PostgreSqlBuilder.PostgreSqlPort)
            .WithUsername(username)
            .WithPassword(password)
            .WithDatabase(username)
            // The module turns synchronous_commit off for speed, which lets a crash lose commits already
            // acknowledged; chaos tests kill servers and count on what was committed. (fsync and
            // full_page_writes stay off: they matter only when the machine itself goes down.)
            .WithCommand("-c", "synchronous_commit=on")
            .Build());

    private static TBuilder Configure<TBuilder, TContainer>(
        IContainerBuilder<TBuilder, TContainer> builder, string role, string image, int hostPort, int containerPort)
        where TBuilder : IContainerBuilder<TBuilder, TContainer>
        where TContainer : IContainer =>
        builder
            .WithImage(image)
            .WithImagePullPolicy(PullPolicy.Never)
            .WithName($"workfleet-test-{role}-{Guid.NewGuid().ToString("N")[..8]}")
            .WithLabel(TestLabel, "1")
            .WithLabel(OwnerPidLabel, Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
            .WithLogger(NullLogger.Instance) // a line per readiness probe and exec; the fixture reports start times itself
            .WithPortBinding(hostPort, containerPort)
            .WithCreateParameterModifier(parameters =>
            {
                // Testcontainers publishes on every interface; these servers are for this machine only.
                foreach (var binding in parameters.HostConfig.PortBindings.Values.SelectMany(bindings => bindings))
                {
                    binding.HostIP = Loopback;
                }
            });

    private static async Task<TContainer> StartAsync<TContainer>(string role, string image, string imageSetting, Func<int, TContainer> build)
        where TContainer : IContainer
    {
        for (var attempt = 1; ; attempt++)
        {
            var container = build(LoopbackPorts.PickFree());
            try
            {
                using var timeout = new CancellationTokenSource(StartupTimeout);
                await container.StartAsync(timeout.Token);
                return container;
            }
            catch (DockerImageNotFoundException exception)
            {
                await container.DisposeAsync();
                throw new InvalidOperationException(
                    $"The image {image} is not in the local Docker engine, and test images are never pulled. "
                    + $"Build it with infra/scripts/build-local-images.sh (./test.sh does that first), or name another image in {imageSetting}.",
                    exception);
            }
            catch (DockerApiException exception) when (IsPortTaken(exception) && attempt < MaxStartAttempts)
            {
                // Another process took the port between picking and publishing it: pick again.
                await container.DisposeAsync();
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                var logs = await TailOrNothingAsync(container);
                await container.DisposeAsync();
                var reason = exception is OperationCanceledException ? $"not ready within {StartupTimeout.TotalSeconds} s" : exception.Message;
                throw new InvalidOperationException(
                    $"The {role} container ({image}) did not come up: {reason} (state {container.State}).{Environment.NewLine}--- its last log lines ---{Environment.NewLine}{logs}",
                    exception);
            }
        }
    }

    private static bool IsPortTaken(DockerApiException exception) =>
        exception.Message.Contains("already allocated", StringComparison.OrdinalIgnoreCase)
        || exception.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase);

    private static async Task<string> TailOrNothingAsync(IContainer container)
    {
        try
        {
            return await container.GetLogsAsync(40);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return $"(no logs: {exception.Message})";
        }
    }
}
