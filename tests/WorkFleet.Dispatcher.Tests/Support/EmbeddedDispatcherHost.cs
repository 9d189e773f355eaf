using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WorkFleet.Dispatcher.Tests.Support;

/// <summary>
/// A dispatcher host, built and not started, on the in-memory transport and a SQLite file of its own, with
/// <paramref name="settings"/> (keys as in appsettings) on top: for tests of what it refuses at start.
/// </summary>
public static class EmbeddedDispatcherHost
{
    public static IHost Build(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = "Test" });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WorkFleet:Transport:Kind"] = "InMemory",
            ["WorkFleet:Database:Provider"] = "Sqlite",
            ["WorkFleet:Database:ConnectionString"] = $"Data Source={Path.Combine(Path.GetTempPath(), $"wf-dispatcher-{Guid.NewGuid():N}.db")}",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddWorkFleetDispatcher();
        return builder.Build();
    }
}
