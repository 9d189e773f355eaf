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
    /// <c>WorkFleet:Telemetry:OtlpEndpoint</c> is set; then every trace is sampled. Otherwise only traces that a caller
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
        var endpoint = OtlpEndpoint(builder.Configuration[$"{TelemetryOptions.SectionName}:{nameof(TelemetryOptions.OtlpEndpoint)}"]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(DiagnosticHeaders.DefaultListenerName, WorkFleetActivities.SourceName)
                    .SetSampler(new ParentBasedSampler(endpoint is null ? new AlwaysOffSampler() : new AlwaysOnSampler()));
                if (endpoint is not null)
                {
                    tracing.AddOtlpExporter(otlp => otlp.Endpoint = endpoint);
                }
            });
        return builder;
    }

    private static Uri? OtlpEndpoint(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return null;
        }

        return Uri.TryCreate(configured, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https"
            ? endpoint
            : throw new InvalidOperationException(
                $"WorkFleet:Telemetry:OtlpEndpoint must be an absolute http(s) address such as http://otel-collector:4317, got '{configured}'.");
    }

    /// <summary>Marks a host whose tracing is registered.</summary>
    private sealed class TracingAdded;
}
