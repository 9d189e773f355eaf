namespace WorkFleet.Messaging.Telemetry;

/// <summary>
/// OpenTelemetry export settings of a dispatcher or worker (section <see cref="SectionName"/>). OTLP export is off unless
/// <see cref="OtlpEndpoint"/> is set or the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable is; the Prometheus scrape
/// endpoints (<c>/metrics</c>) need no setting.
/// </summary>
public sealed class TelemetryOptions
{
    /// <summary>The configuration section: <c>WorkFleet:Telemetry</c>.</summary>
    public const string SectionName = "WorkFleet:Telemetry";

    /// <summary>The standard OpenTelemetry variable that turns OTLP export on when <see cref="OtlpEndpoint"/> is empty.</summary>
    public const string StandardEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Base URL of the OTLP collector, e.g. <c>http://collector:4317</c> (gRPC) or <c>http://collector:4318</c>
    /// (<see cref="TelemetryProtocol.HttpProtobuf"/>: the signal's path, <c>/v1/metrics</c>, is appended). Default: empty,
    /// OTLP export off (unless <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set: then the SDK's standard variables apply as given).
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The OTLP transport for <see cref="OtlpEndpoint"/>: <c>Grpc</c> (default) or <c>HttpProtobuf</c>.</summary>
    public TelemetryProtocol OtlpProtocol { get; set; } = TelemetryProtocol.Grpc;

    /// <summary>
    /// How often metrics are pushed over OTLP, at least 1 s. Default: empty, the SDK's (60 s, or the standard
    /// <c>OTEL_METRIC_EXPORT_INTERVAL</c> in milliseconds).
    /// </summary>
    public TimeSpan? MetricExportInterval { get; set; }

    /// <summary>The collector's address when OTLP export comes from <see cref="OtlpEndpoint"/>; <c>null</c> when that is empty.</summary>
    public Uri? OtlpEndpointUri => string.IsNullOrWhiteSpace(OtlpEndpoint) ? null : new Uri(OtlpEndpoint.Trim(), UriKind.Absolute);

    /// <summary>What is wrong with these settings, each message naming its setting; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(OtlpEndpoint)
            && (!Uri.TryCreate(OtlpEndpoint.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            errors.Add($"{SectionName}:OtlpEndpoint: '{OtlpEndpoint}' is not an absolute http or https URL (e.g. http://collector:4317).");
        }

        if (!Enum.IsDefined(OtlpProtocol))
        {
            errors.Add($"{SectionName}:OtlpProtocol must be Grpc or HttpProtobuf, got {OtlpProtocol}.");
        }

        if (MetricExportInterval is { } interval && interval < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{SectionName}:MetricExportInterval must be at least 1 s, got {MetricExportInterval}.");
        }

        return errors;
    }
}
