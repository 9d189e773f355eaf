namespace WorkFleet.Dashboard.Configuration;

/// <summary>How the dashboard and HTTP API authenticate callers (<c>WorkFleet:Dashboard:Authentication</c>).</summary>
public enum DashboardAuthentication
{
    /// <summary>
    /// API keys from <c>WorkFleet:Dashboard:ApiKeys</c>; with none configured, the host generates an admin key at start
    /// and logs the dashboard URL with it. The default.
    /// </summary>
    ApiKey,

    /// <summary>No authentication: every endpoint is open to anyone who can reach it (logged as a warning at start).</summary>
    None,
}
