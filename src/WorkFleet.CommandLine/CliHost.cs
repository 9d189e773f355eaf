using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WorkFleet.CommandLine;

/// <summary>
/// A quiet host for commands that talk to the real stack: settings from <c>appsettings.json</c> in the
/// current directory, <c>WorkFleet__…</c> environment variables and
/// <c>WorkFleet__…_FILE</c> secret files, the same keys the hosts use.
/// </summary>
public static class CliHost
{
    /// <summary>Creates the builder.</summary>
    public static HostApplicationBuilder CreateBuilder()
    {
        var builder = Host.CreateApplicationBuilder(Settings(Directory.GetCurrentDirectory()));
        builder.Configuration.AddWorkFleetFileSecrets();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("MassTransit", LogLevel.Error);
        return builder;
    }

    /// <summary>
    /// Host settings for a command run in <paramref name="contentRoot"/>, without watching it for configuration
    /// changes: a command ends long before a changed setting would matter, and the watcher follows every
    /// subdirectory of the current directory (seen here costing 5 % of the CPU of a benchmark run from /tmp).
    /// </summary>
    public static HostApplicationBuilderSettings Settings(string contentRoot)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["hostBuilder:reloadConfigOnChange"] = "false" });
        return new HostApplicationBuilderSettings { Args = [], ContentRootPath = contentRoot, Configuration = configuration };
    }
}
