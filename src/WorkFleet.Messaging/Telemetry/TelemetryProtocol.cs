namespace WorkFleet.Messaging.Telemetry;

/// <summary>The OTLP transports a collector accepts.</summary>
public enum TelemetryProtocol
{
    /// <summary>OTLP over gRPC (collector port 4317).</summary>
    Grpc,

    /// <summary>OTLP over HTTP with protobuf bodies (collector port 4318, path <c>/v1/&lt;signal&gt;</c>).</summary>
    HttpProtobuf,
}
