using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WorkFleet.Messaging;
using WorkFleet.Messaging.Configuration;
using WorkFleet.Messaging.Configuration.Security;
using WorkFleet.Messaging.Hosting;
using WorkFleet.Messaging.Recovery;
using WorkFleet.Messaging.Security;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the process's single MassTransit bus; roles add endpoints via <see cref="IEndpointContributor"/>.</summary>
public static class WorkFleetBusExtensions
{
    /// <summary>
    /// Adds MassTransit once per host, on the transport named by <c>WorkFleet:Transport:Kind</c>, with usage
    /// telemetry disabled (a fleet must not phone home). Safe to call from every role.
    /// </summary>
    /// <param name="builder">The host's builder.</param>
    /// <param name="brokerRole">
    /// The role (<see cref="BrokerRoles"/>) whose broker permissions this caller needs, named when the broker refuses
    /// the host's user (<see cref="BrokerAccessGuard"/>); null names none.
    /// </param>
    public static TransportOptions AddWorkFleetBus(this IHostApplicationBuilder builder, string? brokerRole = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (brokerRole is not null)
        {
            builder.Services.AddSingleton(new HostBrokerRole(brokerRole));
        }

        // Secrets from files (WorkFleet__…_FILE) before anything is read; every host registers the bus.
        builder.Configuration.AddWorkFleetFileSecrets();
        var transport = builder.Configuration.GetSection(TransportOptions.SectionName).Get<TransportOptions>() ?? new TransportOptions();
        if (builder.Services.Any(d => d.ServiceType == typeof(TransportOptions)))
        {
            return transport;
        }

        Validate(transport);
        var tls = transport.Kind == TransportKind.RabbitMq ? BrokerTls.Load(transport.RabbitMq) : null;
        builder.Services.AddSingleton(transport);
        builder.Services.AddWorkFleetDefaultPasswordCheck();
        if (transport.Kind == TransportKind.RabbitMq)
        {
            builder.Services.AddSingleton(new GuardedPassword(
                "WorkFleet:Transport:RabbitMq:Password",
                transport.RabbitMq.Password,
                "the environment variable WorkFleet__Transport__RabbitMq__Password, or a file named by WorkFleet__Transport__RabbitMq__Password_FILE (a Docker secret)"));
        }

        // Host start completes only once the bus is connected, so a role's first message (a worker's
        // first heartbeat, a producer's first submit) is never sent into a bus that is not running yet.
        // A receive endpoint whose channel closed (broker restart) waits for the deliveries it was handling before it
        // reconnects; StopTimeout bounds that wait (and the wait when the bus stops) so that a handler busy with a
        // delivery that can no longer be acknowledged does not keep the endpoint away from the broker.
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = true;
            if (transport.Kind == TransportKind.RabbitMq)
            {
                o.StopTimeout = transport.RabbitMq.DeliveryStopTimeout;
            }
        });
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
                    host.Heartbeat(rabbit.Heartbeat);
                    host.RequestedConnectionTimeout(rabbit.ConnectionTimeout);
                    host.ContinuationTimeout(rabbit.OperationTimeout);
                    if (tls is not null)
                    {
                        host.UseSsl(tls.ApplyTo);
                    }
                });
                SenderIdentity.StampOutgoing(bus, rabbit.Username);
                UserlessMoves.ApplyTo(bus);
                ConfigureEndpoints(context, bus);
            });
        });

        if (transport.Kind == TransportKind.RabbitMq)
        {
            // Registered after MassTransit's hosted service, so it stops before the bus does.
            builder.Services.TryAddSingleton(TimeProvider.System);
            builder.Services.AddHostedService<ReceiveEndpointRecovery>();
            builder.Services.AddSingleton<BrokerAccessGuard>();
            builder.Services.AddReceiveEndpointObserver(sp => sp.GetRequiredService<BrokerAccessGuard>());
        }

        return transport;
    }

    /// <summary>
    /// Adds the start-up check that refuses empty or known default passwords (<see cref="DefaultPasswordValidation"/>),
    /// configured from <c>WorkFleet:Security</c>; roles add the passwords they connect with as <see cref="GuardedPassword"/>.
    /// Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddWorkFleetDefaultPasswordCheck(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ImplementationType == typeof(DefaultPasswordValidation)))
        {
            return services;
        }

        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, DefaultPasswordValidation>();
        return services;
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

            RequirePositive(transport.RabbitMq.Heartbeat, "Heartbeat");
            RequirePositive(transport.RabbitMq.ConnectionTimeout, "ConnectionTimeout");
            RequirePositive(transport.RabbitMq.OperationTimeout, "OperationTimeout");
            RequirePositive(transport.RabbitMq.ConfirmTimeout, "ConfirmTimeout");
            RequirePositive(transport.RabbitMq.EndpointRestartDelay, "EndpointRestartDelay");
            RequirePositive(transport.RabbitMq.DeliveryStopTimeout, "DeliveryStopTimeout");
        }
    }

    private static void RequirePositive(TimeSpan value, string setting)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"WorkFleet:Transport:RabbitMq:{setting} must be positive, got {value}.");
        }
    }
}
