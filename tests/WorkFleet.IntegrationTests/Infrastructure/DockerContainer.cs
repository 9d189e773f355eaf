using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace WorkFleet.IntegrationTests.Infrastructure;

/// <summary>
/// A container driven through the <c>docker</c> CLI: the small part of Testcontainers these tests
/// need (Testcontainers is not on the package mirror). Container ports are published on free
/// loopback ports chosen up front, so a mapping survives stop/start, restart and kill/start.
/// Every container carries the labels <see cref="TestLabel"/> and <see cref="OwnerPidLabel"/>;
/// test.sh removes the leftovers of aborted runs by them.
/// </summary>
public sealed class DockerContainer : IAsyncDisposable
{
    /// <summary>The label (key=value) put on every test container.</summary>
    public const string TestLabel = "workfleet.test=1";

    /// <summary>
    /// Label key holding the id of the test process that owns a container, so test.sh removes
    /// only leftovers of dead runs, not the containers of a run in progress.
    /// </summary>
    public const string OwnerPidLabel = "workfleet.test.pid";

    private const int MaxRunAttempts = 3;

    private readonly IReadOnlyDictionary<int, int> _hostPorts;
    private bool _disposed;

    private DockerContainer(string id, string name, IReadOnlyDictionary<int, int> hostPorts)
    {
        Id = id;
        Name = name;
        _hostPorts = hostPorts;
    }

    /// <summary>The full container id.</summary>
    public string Id { get; }

    /// <summary>The container name (<c>workfleet-test-&lt;role&gt;-&lt;random&gt;</c>).</summary>
    public string Name { get; }

    /// <summary>The host address the published ports listen on.</summary>
    public string Host { get; } = "127.0.0.1";

    /// <summary>
    /// Runs <paramref name="image"/> detached (<c>docker run -d</c>) with the given environment,
    /// publishing each of <paramref name="containerPorts"/> on a free port of 127.0.0.1.
    /// </summary>
    /// <param name="role">A short name used in the container name, e.g. "rabbitmq".</param>
    /// <param name="image">The image to run.</param>
    /// <param name="environment">Environment variables for the container.</param>
    /// <param name="containerPorts">Container TCP ports to publish.</param>
    /// <param name="cancellationToken">Cancels the docker CLI call.</param>
    public static async Task<DockerContainer> RunAsync(
        string role,
        string image,
        IReadOnlyDictionary<string, string> environment,
        IReadOnlyCollection<int> containerPorts,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(containerPorts);

        for (var attempt = 1; ; attempt++)
        {
            var name = $"workfleet-test-{role}-{Guid.NewGuid().ToString("N")[..8]}";
            var hostPorts = PickFreePorts(containerPorts);
            var arguments = new List<string>
            {
                "run", "-d", "--name", name, "--label", TestLabel,
                "--label", string.Create(CultureInfo.InvariantCulture, $"{OwnerPidLabel}={Environment.ProcessId}"),
            };
            foreach (var (containerPort, hostPort) in hostPorts)
            {
                arguments.AddRange(["-p", string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{hostPort}:{containerPort}")]);
            }

            foreach (var (key, value) in environment)
            {
                arguments.AddRange(["-e", $"{key}={value}"]);
            }

            arguments.Add(image);
            var result = await RunDockerAsync(arguments, cancellationToken);
            if (result.ExitCode == 0)
            {
                return new DockerContainer(result.Stdout.Trim(), name, hostPorts);
            }

            // A failed start can leave a created container behind.
            await RunDockerAsync(["rm", "-f", "-v", name], CancellationToken.None);

            // Another process may have taken a port between picking and publishing it: pick again.
            var portTaken = result.Stderr.Contains("already allocated", StringComparison.OrdinalIgnoreCase)
                || result.Stderr.Contains("address already in use", StringComparison.OrdinalIgnoreCase);
            if (!portTaken || attempt == MaxRunAttempts)
            {
                throw new InvalidOperationException($"docker run {image} failed ({result.ExitCode}): {result.Stderr.Trim()}");
            }
        }
    }

    /// <summary>The host port (on <see cref="Host"/>) that <paramref name="containerPort"/> is published on.</summary>
    /// <param name="containerPort">A port passed to <see cref="RunAsync"/>.</param>
    public int GetMappedPort(int containerPort) =>
        _hostPorts.TryGetValue(containerPort, out var hostPort)
            ? hostPort
            : throw new ArgumentOutOfRangeException(nameof(containerPort), containerPort, $"Port {containerPort} is not published by {Name}.");

    /// <summary>Runs a command in the container (<c>docker exec</c>) and returns its standard output.</summary>
    /// <param name="command">The command and its arguments.</param>
    /// <exception cref="InvalidOperationException">The command exited non-zero; the message holds its stderr.</exception>
    public Task<string> ExecAsync(params string[] command) => DockerAsync(["exec", Id, .. command]);

    /// <summary>Stops the container gracefully (<c>docker stop</c>, the image's stop signal).</summary>
    public Task StopAsync() => DockerAsync(["stop", Id]);

    /// <summary>Starts a stopped or killed container again, on the same host ports.</summary>
    public Task StartAsync() => DockerAsync(["start", Id]);

    /// <summary>Stops and starts the container (<c>docker restart</c>), keeping its host ports.</summary>
    public Task RestartAsync() => DockerAsync(["restart", Id]);

    /// <summary>Kills the container's main process with SIGKILL (<c>docker kill</c>): a crash.</summary>
    public Task KillAsync() => DockerAsync(["kill", Id]);

    /// <summary>Whether the container is running.</summary>
    public async Task<bool> IsRunningAsync()
    {
        var result = await RunDockerAsync(["inspect", "-f", "{{.State.Running}}", Id], CancellationToken.None);
        return result.ExitCode == 0 && result.Stdout.Trim() == "true";
    }

    /// <summary>The last <paramref name="lines"/> lines of the container's output (stdout and stderr).</summary>
    /// <param name="lines">How many lines to return from the end of the log.</param>
    public async Task<string> GetLogsAsync(int lines = 50)
    {
        var result = await RunDockerAsync(["logs", "--tail", lines.ToString(CultureInfo.InvariantCulture), Id], CancellationToken.None);
        return result.Stdout + result.Stderr;
    }

    /// <summary>Removes the container and its anonymous volumes (<c>docker rm -f -v</c>).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await RunDockerAsync(["rm", "-f", "-v", Id], CancellationToken.None);
    }

    private static Dictionary<int, int> PickFreePorts(IReadOnlyCollection<int> containerPorts)
    {
        // Keep every listener open until all are bound, so the OS hands out distinct ports.
        var listeners = containerPorts.Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(listener => listener.Start());
            return containerPorts.Zip(listeners, (port, listener) => (port, ((IPEndPoint)listener.LocalEndpoint).Port))
                .ToDictionary(pair => pair.port, pair => pair.Item2);
        }
        finally
        {
            listeners.ForEach(listener => listener.Dispose());
        }
    }

    private static async Task<string> DockerAsync(IReadOnlyList<string> arguments)
    {
        var result = await RunDockerAsync(arguments, CancellationToken.None);
        return result.ExitCode == 0
            ? result.Stdout
            : throw new InvalidOperationException($"docker {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Stderr.Trim()}");
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunDockerAsync(
        IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("docker")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start the docker CLI.");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
