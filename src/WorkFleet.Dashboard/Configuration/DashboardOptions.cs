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

    /// <summary>
    /// <see cref="DashboardAuthentication.ApiKey"/> (default) or <see cref="DashboardAuthentication.None"/>, the explicit
    /// opt-out that leaves every endpoint open.
    /// </summary>
    public DashboardAuthentication Authentication { get; set; } = DashboardAuthentication.ApiKey;

    /// <summary>
    /// The accepted API keys. Empty (the default) with <see cref="Authentication"/> ApiKey: an admin key is generated at
    /// start and logged once, with the dashboard URL, at Warning level.
    /// </summary>
    public IList<ApiKeyOptions> ApiKeys { get; } = [];

    /// <summary>
    /// Host names the API answers to, separated by ';' (ASP.NET Core host filtering; <c>*.example.com</c> wildcards
    /// allowed, <c>*</c> allows any). Default: <c>localhost;127.0.0.1;[::1];dispatcher;workfleet-dispatcher</c> plus the
    /// hosts named in <see cref="Urls"/>, this machine's name and its own IP addresses. Other Host headers get 400.
    /// <c>/healthz</c> answers any host, for probes.
    /// </summary>
    public string? AllowedHosts { get; set; }

    /// <summary>Requests per <see cref="RateLimitWindow"/> per API key (or per remote IP without a valid key). Default 600; 0 turns the limit off.</summary>
    public int RateLimitPermits { get; set; } = 600;

    /// <summary>The fixed window of <see cref="RateLimitPermits"/>. Default 1 minute.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The largest task result, in UTF-8 bytes, that <c>GET /api/tasks/{id}</c> includes. Default 65,536 (64 KiB). A larger
    /// result is left out (<c>result</c> null, <c>resultOmitted</c> gives its size); <c>GET /api/tasks/{id}/result</c>
    /// returns it whole.
    /// </summary>
    public int ResultLimitBytes { get; set; } = 64 * 1024;
}
