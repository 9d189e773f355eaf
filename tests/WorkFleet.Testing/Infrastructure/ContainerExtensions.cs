using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using Docker.DotNet.Models;

namespace WorkFleet.Testing.Infrastructure;

/// <summary>What chaos tests do to a server's container beyond what <see cref="IContainer"/> offers.</summary>
public static class ContainerExtensions
{
    /// <summary>
    /// Stops the container gracefully (its stop signal, then SIGKILL after 15 s) and starts it again on the
    /// same host ports; returns once the container's wait strategy reports the server ready again.
    /// </summary>
    /// <param name="container">A started container.</param>
    /// <param name="cancellationToken">Cancels the stop or the start.</param>
    public static async Task RestartAsync(this IContainer container, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(container);
        await container.StopAsync(cancellationToken);
        await container.StartAsync(cancellationToken);
    }

    /// <summary>
    /// Kills the container's main process with SIGKILL: a crash. <see cref="IContainer.StartAsync"/> starts
    /// it again on the same host ports.
    /// </summary>
    /// <param name="container">A started container.</param>
    public static async Task KillAsync(this IContainer container)
    {
        ArgumentNullException.ThrowIfNull(container);
        using var configuration = TestcontainersSettings.OS.DockerEndpointAuthConfig.GetDockerClientConfiguration();
        using var docker = configuration.CreateClient();
        await docker.Containers.KillContainerAsync(container.Id, new ContainerKillParameters());
    }

    /// <summary>The last <paramref name="lines"/> lines of the container's output, standard output then standard error.</summary>
    /// <param name="container">A created container.</param>
    /// <param name="lines">How many lines to return from the end of each stream.</param>
    public static async Task<string> GetLogsAsync(this IContainer container, int lines)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lines);
        var (stdout, stderr) = await container.GetLogsAsync(timestampsEnabled: false);
        return string.Join(Environment.NewLine, Tail(stdout, lines).Concat(Tail(stderr, lines)));
    }

    /// <summary>Runs <paramref name="command"/> in the container and returns its standard output.</summary>
    /// <exception cref="InvalidOperationException">The command exited non-zero; the message holds its standard error.</exception>
    internal static async Task<string> ExecCheckedAsync(this IContainer container, params string[] command)
    {
        var result = await container.ExecAsync(command);
        return result.ExitCode == 0
            ? result.Stdout
            : throw new InvalidOperationException($"'{string.Join(' ', command)}' in {container.Name} failed ({result.ExitCode}): {result.Stderr.Trim()}");
    }

    private static IEnumerable<string> Tail(string text, int lines) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.TrimEnd('\r')).TakeLast(lines);
}
