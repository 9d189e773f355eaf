namespace WorkFleet.Dashboard.Configuration;

/// <summary>What an API key may do on the dashboard and HTTP API. Each role includes the ones before it.</summary>
public enum ApiKeyRole
{
    /// <summary>Every GET endpoint: <c>/api/status</c>, <c>/api/tasks/{id}</c>, <c>/api/autoscaler</c>, <c>/metrics</c>.</summary>
    Read,

    /// <summary><see cref="Read"/> plus the endpoints that submit work: <c>POST /api/tasks</c> and <c>POST /api/predict/{jobType}</c>.</summary>
    Submit,

    /// <summary>Everything, including the administrative endpoints such as <c>/api/auth/keys</c>.</summary>
    Admin,
}
