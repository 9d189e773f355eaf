using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkFleet.ThroughputBench.Servers;

namespace WorkFleet.ThroughputBench.Roles;

/// <summary>
/// The generic host of one role process: MassTransit on the broker named by the environment, usage telemetry
/// disabled, warnings only. Prints <see cref="ReadyLine"/> once the bus is connected.
/// </summary>
public static class RoleHost
{
    /// <summary>What a role prints when its bus has started.</summary>
    public const string ReadyLine = "role ready";

    /// <summary>Builds, starts and runs the role until it is killed.</summary>
    public static async Task RunAsync(Action<IServiceCollection> services, Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator> endpoints)
    {
        var address = RabbitMqAddress.FromEnvironment();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o => o.WaitUntilStarted = true);
        services(builder.Services);
        builder.Services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry();
            x.UsingRabbitMq((context, bus) =>
            {
                address.Configure(bus);
                endpoints(context, bus);
            });
        });
        using var host = builder.Build();
        await host.StartAsync();
        Console.WriteLine(ReadyLine);
        await host.WaitForShutdownAsync();
    }
}
