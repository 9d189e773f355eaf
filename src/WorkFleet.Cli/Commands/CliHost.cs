using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WorkFleet.Cli.Commands;

/// <summary>
/// A quiet host for commands that talk to the real stack: settings from <c>appsettings.json</c> in the
/// current directory and <c>WorkFleet__…</c> environment variables, the same keys the hosts use.
/// </summary>
public static class CliHost
{
    /// <summary>Creates the builder.</summary>
    public static HostApplicationBuilder CreateBuilder()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = Directory.GetCurrentDirectory() });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("MassTransit", LogLevel.Error);
        return builder;
    }
}
