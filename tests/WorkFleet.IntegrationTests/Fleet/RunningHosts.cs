using Microsoft.Extensions.Hosting;
using Npgsql;

namespace WorkFleet.IntegrationTests.Fleet;

/// <summary>
/// The hosts a test started, stopped and disposed in reverse order when the test ends, whether it passed,
/// failed, or failed while still starting them (<c>await using var hosts = new RunningHosts();</c>).
/// </summary>
public sealed class RunningHosts : IAsyncDisposable
{
    private readonly List<IHost> _hosts = [];

    /// <summary>Takes ownership of a started host and returns it.</summary>
    public T Add<T>(T host)
        where T : IHost
    {
        _hosts.Add(host);
        return host;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var host in Enumerable.Reverse(_hosts))
        {
            await host.StopAsync();
            host.Dispose();
        }

        _hosts.Clear();

        // Each test's database has a connection string, so a pool, of its own, and Npgsql keeps a pool's idle
        // connections open for minutes after the hosts that used it are gone: tests in quick succession then run the
        // fixture's PostgreSQL out of connections ("53300: sorry, too many clients already"). Close them now.
        NpgsqlConnection.ClearAllPools();
    }
}
