using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using WorkFleet.Messaging.Telemetry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Metrics of a WorkFleet host through the OpenTelemetry SDK: the host's meters, OTLP export when configured.</summary>
public static class TelemetryMetrics
{
    /// <summary>
    /// Adds the OpenTelemetry meter provider with <paramref name="meterNames"/>, exporting over OTLP when
    /// <c>WorkFleet:Telemetry:OtlpEndpoint</c> (or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>) is set, and
    /// <paramref name="configure"/> for the host's own readers (the Prometheus scrape endpoint). Only the meters this host
    /// created are exported, not those of other hosts in the same process (tests, the embedded demo). Safe to call more
    /// than once (a dispatcher and workers in one host): every call adds its meters and <paramref name="configure"/>; the
    /// service name and the OTLP exporter come from the first. A bad setting throws here, naming it.
    /// </summary>
    /// <param name="builder">The host.</param>
    /// <param name="serviceName">The <c>service.name</c> resource attribute, e.g. <c>workfleet-dispatcher</c>.</param>
    /// <param name="meterNames">The meters to export.</param>
    /// <param name="configure">More configuration of the meter provider (readers, views).</param>
    public static IHostApplicationBuilder AddWorkFleetMetrics(
        this IHostApplicationBuilder builder,
        string serviceName,
        IEnumerable<string> meterNames,
        Action<MeterProviderBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        ArgumentNullException.ThrowIfNull(meterNames);
        var meters = meterNames.ToArray();
        var services = builder.Services;
        if (services.Any(s => s.ServiceType == typeof(MetricsRegistered)))
        {
            services.ConfigureOpenTelemetryMeterProvider(metrics =>
            {
                metrics.AddMeter(meters);
                configure?.Invoke(metrics);
            });
            return builder;
        }

        var options = ReadOptions(builder.Configuration);
        services.AddSingleton<MetricsRegistered>();
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName);
        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.ConfigureResource(resource => resource.AddService(serviceName)).AddMeter(meters);
            AddOtlp(metrics, options, builder.Configuration);
            configure?.Invoke(metrics);
        });

        // Meters from IMeterFactory carry their factory as Scope; another host's factory means another host's counts.
        services.ConfigureOpenTelemetryMeterProvider((provider, metrics) =>
        {
            var own = provider.GetService<IMeterFactory>();
            metrics.AddView(instrument => instrument.Meter.Scope is IMeterFactory factory && !ReferenceEquals(factory, own)
                ? MetricStreamConfiguration.Drop
                : null);
        });
        return builder;
    }

    /// <summary>Binds and validates <see cref="TelemetryOptions"/>; throws with every bad setting named.</summary>
    /// <param name="configuration">The host's configuration.</param>
    public static TelemetryOptions ReadOptions(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var errors = options.Validate();
        return errors.Count == 0 ? options : throw new InvalidOperationException(string.Join(" ", errors));
    }

    private static void AddOtlp(MeterProviderBuilder metrics, TelemetryOptions options, IConfiguration configuration)
    {
        var endpoint = options.OtlpEndpointUri;
        if (endpoint is null && string.IsNullOrWhiteSpace(configuration[TelemetryOptions.StandardEndpointVariable]))
        {
            return;
        }

        metrics.AddOtlpExporter((exporter, reader) =>
        {
            if (endpoint is not null)
            {
                // Set in code, an HTTP endpoint is used as given: the signal's path is ours to add.
                exporter.Protocol = options.OtlpProtocol == TelemetryProtocol.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                exporter.Endpoint = options.OtlpProtocol == TelemetryProtocol.HttpProtobuf ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/v1/metrics") : endpoint;
            }

            if (options.MetricExportInterval is { } interval)
            {
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)interval.TotalMilliseconds;
            }
        });
    }

    /// <summary>Marks the provider as set up, so a second call only adds to it.</summary>
    private sealed class MetricsRegistered;
}
