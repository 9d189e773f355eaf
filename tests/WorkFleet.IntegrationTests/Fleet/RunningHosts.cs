using Microsoft.Extensions.Hosting;

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
    }
}
