namespace WorkFleet.Dashboard.Configuration;

/// <summary>
/// The producers' HTTP API (<c>POST /api/tasks</c>, long-polls, <c>/api/predict</c>, the event stream). Section
/// <c>WorkFleet:Dashboard:Api</c>. Payload limits are the dispatcher's own (<c>WorkFleet:Dispatcher:MaxPayloadBytes</c>
/// and <c>MaxSubmitBytes</c>), as on AMQP.
/// </summary>
public sealed class HttpApiOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "WorkFleet:Dashboard:Api";

    /// <summary>Most tasks one <c>POST /api/tasks</c> may carry. Default 1,000.</summary>
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>Largest request body read, in bytes; a larger one gets 413. Default 32 MiB.</summary>
    public long MaxRequestBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Longest wait a caller may ask for (<c>?wait=</c>, <c>?timeout=</c>); longer ones are cut to it. Default 60 s.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long <c>POST /api/predict/{jobType}</c> waits without <c>?timeout=</c> before answering 504. Default 30 s.</summary>
    public TimeSpan PredictTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a waiting request reads the store, for outcomes another dispatcher recorded (this dispatcher's own
    /// wake it at once). Default 1 s.
    /// </summary>
    public TimeSpan StorePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Outcomes held for one event-stream subscriber; one that falls this far behind is dropped. Default 4,096.</summary>
    public int EventBufferSize { get; set; } = 4096;

    /// <summary>How often an idle event stream sends a keep-alive comment. Default 15 s.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);
}
