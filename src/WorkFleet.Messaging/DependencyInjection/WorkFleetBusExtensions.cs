using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WorkFleet.Messaging;
using WorkFleet.Messaging.Configuration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the process's single MassTransit bus; roles add endpoints via <see cref="IEndpointContributor"/>.</summary>
public static class WorkFleetBusExtensions
{
    /// <summary>
    /// Adds MassTransit once per host, on the transport named by <c>WorkFleet:Transport:Kind</c>, with usage
    /// telemetry disabled (a fleet must not phone home). Safe to call from every role.
    /// </summary>
    public static TransportOptions AddWorkFleetBus(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var transport = builder.Configuration.GetSection(TransportOptions.SectionName).Get<TransportOptions>() ?? new TransportOptions();
        if (builder.Services.Any(d => d.ServiceType == typeof(TransportOptions)))
        {
            return transport;
        }

        Validate(transport);
        builder.Services.AddSingleton(transport);

        // Host start completes only once the bus is connected, so a role's first message (a worker's
        // first heartbeat, a producer's first submit) is never sent into a bus that is not running yet.
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o => o.WaitUntilStarted = true);
        builder.Services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry();
            if (transport.Kind == TransportKind.InMemory)
            {
                x.UsingInMemory((context, bus) => ConfigureEndpoints(context, bus));
                return;
            }

            x.UsingRabbitMq((context, bus) =>
            {
                var rabbit = transport.RabbitMq;
                bus.Host(rabbit.Host, (ushort)rabbit.Port, rabbit.VirtualHost, host =>
                {
                    host.Username(rabbit.Username);
                    host.Password(rabbit.Password);
                });
                ConfigureEndpoints(context, bus);
            });
        });
        return transport;
    }

    private static void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator bus)
    {
        foreach (var contributor in context.GetServices<IEndpointContributor>())
        {
            contributor.ConfigureEndpoints(context, bus);
        }
    }

    private static void Validate(TransportOptions transport)
    {
        if (!Enum.IsDefined(transport.Kind))
        {
            throw new InvalidOperationException($"WorkFleet:Transport:Kind '{transport.Kind}' is not supported; use RabbitMq or InMemory.");
        }

        if (transport.Kind == TransportKind.RabbitMq)
        {
            if (string.IsNullOrWhiteSpace(transport.RabbitMq.Host))
            {
                throw new InvalidOperationException("WorkFleet:Transport:RabbitMq:Host must be set.");
            }

            if (transport.RabbitMq.Port is <= 0 or > 65535)
            {
                throw new InvalidOperationException($"WorkFleet:Transport:RabbitMq:Port {transport.RabbitMq.Port} is not a valid TCP port.");
            }
        }
    }
}
