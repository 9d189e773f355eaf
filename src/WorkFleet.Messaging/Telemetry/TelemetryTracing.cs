using MassTransit.Logging;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using WorkFleet.Messaging.Telemetry;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Traces of the fleet's hops (producer, dispatcher, worker) through the OpenTelemetry SDK.</summary>
public static class TelemetryTracing
{
    /// <summary>
    /// Subscribes the host's tracer to MassTransit's spans (which carry the W3C trace context in every message's
    /// <c>MT-Activity-Id</c> header) and the fleet's own (<see cref="WorkFleetActivities"/>); other roles add theirs
    /// (Npgsql, ASP.NET Core) with <c>ConfigureOpenTelemetryTracerProvider</c>. Spans are exported over OTLP only when
    /// <c>WorkFleet:Telemetry:OtlpEndpoint</c> (or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>) is set, with the
    /// same protocol setting as metrics; then every trace is sampled. A bad setting throws here, naming it. Otherwise only traces that a caller
    /// already samples (a traced producer, or a test) are recorded and carried on, and untraced work creates no span.
    /// Calling it again in the same host adds nothing.
    /// </summary>
    /// <param name="builder">The host builder.</param>
    /// <param name="serviceName">The role's service name in the traces (e.g. <c>workfleet-dispatcher</c>).</param>
    public static IHostApplicationBuilder AddWorkFleetTracing(this IHostApplicationBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(d => d.ServiceType == typeof(TracingAdded)))
        {
            return builder;
        }

        builder.Services.AddSingleton<TracingAdded>();
        var options = TelemetryMetrics.ReadOptions(builder.Configuration);
        var exports = options.ExportsOtlp(builder.Configuration);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(DiagnosticHeaders.DefaultListenerName, WorkFleetActivities.SourceName)
                    .SetSampler(new ParentBasedSampler(exports ? new AlwaysOnSampler() : new AlwaysOffSampler()));
                if (exports)
                {
                    tracing.AddOtlpExporter(otlp => options.ConfigureExporter(otlp, "/v1/traces"));
                }
            });
        return builder;
    }

    /// <summary>Marks a host whose tracing is registered.</summary>
    private sealed class TracingAdded;
}
