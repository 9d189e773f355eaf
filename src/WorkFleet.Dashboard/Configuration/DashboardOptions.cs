namespace WorkFleet.Dashboard.Configuration;

/// <summary>The dispatcher's HTTP side: dashboard, JSON API, <c>/metrics</c>, <c>/healthz</c>. Section <c>WorkFleet:Dashboard</c>.</summary>
public sealed class DashboardOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "WorkFleet:Dashboard";

    /// <summary>
    /// Where to listen, one or more absolute http(s) URLs separated by ';'. Default <c>http://127.0.0.1:8080</c>
    /// (this machine only; the compose file listens on <c>http://0.0.0.0:8080</c> inside the container and
    /// publishes it on the host's loopback). Port 0 takes a free port.
    /// </summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>How long task counts read from the store are reused by the dashboard. Default 2 s.</summary>
    public TimeSpan TaskCountsMaxAge { get; set; } = TimeSpan.FromSeconds(2);
}
