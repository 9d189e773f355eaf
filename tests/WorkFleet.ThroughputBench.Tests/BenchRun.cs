using System.Globalization;
using System.Text.Json;
using WorkFleet.Testing.Infrastructure;

namespace WorkFleet.ThroughputBench.Tests;

/// <summary>Runs the bench as a user does, on the fixture's broker (a virtual host of its own) and PostgreSQL server.</summary>
internal static class BenchRun
{
    /// <summary>
    /// Runs <c>WorkFleet.ThroughputBench &lt;mode…&gt; --json</c> against the fixture's servers, asserts it exited 0, and
    /// returns its standard output and the JSON report it printed last.
    /// </summary>
    public static async Task<(string Stdout, JsonDocument Report)> RunAsync(InfrastructureFixture servers, string name, TimeSpan timeout, params string[] mode)
    {
        var broker = await servers.CreateVirtualHostAsync(name);
        var postgres = await servers.CreateDatabaseAsync(name.Replace('-', '_'));
        var rabbitmq = string.Create(CultureInfo.InvariantCulture, $"{broker.Host}:{broker.Port}:{broker.Username}:{broker.Password}");

        var (exitCode, stdout, stderr) = await AppProcess.RunAsync(
            "WorkFleet.ThroughputBench.dll",
            timeout,
            new Dictionary<string, string>(),
            [.. mode, "--json", "--rabbitmq", rabbitmq, "--vhost", broker.VirtualHost, "--postgres", postgres]);

        Assert.True(exitCode == 0, $"exit {exitCode}: {stderr}");
        var json = stdout.Split('\n').LastOrDefault(line => line.StartsWith('{'));
        Assert.True(json is not null, $"no JSON line in: {stdout}");
        return (stdout, JsonDocument.Parse(json));
    }
}
