namespace WorkFleet.Messaging.Telemetry;

/// <summary>OpenTelemetry export settings shared by every role (section <c>WorkFleet:Telemetry</c>).</summary>
public sealed class TelemetryOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "WorkFleet:Telemetry";

    /// <summary>
    /// OTLP collector address (e.g. <c>http://otel-collector:4317</c> for gRPC); default null: nothing is exported over
    /// OTLP.
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }
}
