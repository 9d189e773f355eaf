using System.Globalization;
using WorkFleet.ThroughputBench.Processes;

namespace WorkFleet.ThroughputBench.Servers;

/// <summary>A server container the bench started with <c>docker run</c>, published on a loopback port; removed on dispose.</summary>
public sealed class DockerContainer : IAsyncDisposable
{
    private DockerContainer(string id, int hostPort)
    {
        Id = id;
        HostPort = hostPort;
    }

    /// <summary>Label on every container the bench starts, so leftovers of a killed run can be found.</summary>
    public const string Label = "workfleet.bench=1";

    /// <summary>Container id.</summary>
    public string Id { get; }

    /// <summary>The loopback port the server's port is published on.</summary>
    public int HostPort { get; }

    /// <summary>Runs <paramref name="image"/> detached and publishes <paramref name="port"/> on a free port of 127.0.0.1.</summary>
    public static async Task<DockerContainer> RunAsync(string role, string image, int port, IReadOnlyList<string> environment, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        List<string> arguments = ["run", "-d", "--label", Label, "--name", $"workfleet-bench-{role}-{Guid.NewGuid().ToString("N")[..6]}",
            "-p", string.Create(CultureInfo.InvariantCulture, $"127.0.0.1::{port}")];
        foreach (var variable in environment)
        {
            arguments.AddRange(["-e", variable]);
        }

        arguments.Add(image);
        arguments.AddRange(command);
        var id = await Shell.RunAsync("docker", arguments, cancellationToken);
        try
        {
            var published = await Shell.RunAsync("docker", ["port", id, string.Create(CultureInfo.InvariantCulture, $"{port}/tcp")], cancellationToken);
            var first = published.Split('\n')[0];
            return new DockerContainer(id, int.Parse(first[(first.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture));
        }
        catch
        {
            await Shell.RunAsync("docker", ["rm", "-f", id], CancellationToken.None);
            throw;
        }
    }

    /// <summary>The container publishing <paramref name="hostPort"/>, if a container does (for servers given on the command line).</summary>
    public static async Task<string?> FindByPublishedPortAsync(int hostPort)
    {
        try
        {
            var id = await Shell.RunAsync("docker", ["ps", "-q", "--no-trunc", "--filter", string.Create(CultureInfo.InvariantCulture, $"publish={hostPort}")]);
            return id.Length > 0 ? id.Split('\n')[0] : null;
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null; // no docker: the container's CPU is not reported
        }
    }

    /// <summary>Removes the container.</summary>
    public async ValueTask DisposeAsync() => await Shell.RunAsync("docker", ["rm", "-f", "-v", Id], CancellationToken.None);
}
