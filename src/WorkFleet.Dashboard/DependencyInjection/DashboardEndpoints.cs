using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WorkFleet.Dashboard.Api;
using WorkFleet.Dashboard.Configuration;
using WorkFleet.Dashboard.Metrics;
using WorkFleet.Dashboard.Security;
using WorkFleet.Dashboard.Status;
using WorkFleet.Dispatcher.Autoscaling;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Observability;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Maps the dispatcher's HTTP endpoints: <c>/</c> (dashboard), <c>/api/status</c>, <c>/api/tasks/{id}</c>,
/// <c>/api/tasks/{id}/result</c>, <c>/api/autoscaler</c>, <c>/metrics</c> (Prometheus text, by the OpenTelemetry SDK), <c>/api/auth/whoami</c>,
/// <c>/api/auth/keys</c> and <c>/healthz</c> (200 once the dispatcher consumes, 503 before), and the producers' HTTP API
/// (<see cref="HttpApiEndpoints"/>). Only <c>/healthz</c> and the page, a static shell that holds no data and asks for a
/// key, are open; the rest need a read key, <c>/api/auth/keys</c> an admin key.
/// </summary>
public static class DashboardEndpoints
{
    private static readonly Lazy<byte[]> Page = new(() =>
    {
        using var stream = typeof(DashboardEndpoints).Assembly.GetManifestResourceStream("WorkFleet.Dashboard.index.html")
            ?? throw new InvalidOperationException("The dashboard page is missing from WorkFleet.Dashboard.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    /// <summary>The readiness endpoint, open to any caller and any Host header.</summary>
    public const string HealthPath = "/healthz";

    /// <summary>The Prometheus scrape endpoint (the OpenTelemetry SDK's exporter), behind a read key like the API.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Maps the endpoints; see the type's summary.</summary>
    public static IEndpointRouteBuilder MapWorkFleetDashboard(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // Created now, so the reported start time is the host's, not the first request's.
        _ = endpoints.ServiceProvider.GetRequiredService<StatusReport>();
        endpoints.MapGet("/", () => Results.Bytes(Page.Value, "text/html; charset=utf-8")).AllowAnonymous();
        endpoints.MapGet(HealthPath, (DispatcherReadiness readiness) => readiness.IsReady
            ? Results.Json(new { status = "ready" })
            : Results.Json(new { status = "starting" }, statusCode: StatusCodes.Status503ServiceUnavailable)).AllowAnonymous();

        var read = endpoints.MapGroup("").RequireAuthorization(DashboardPolicies.Read);
        read.MapGet("/api/status", async (StatusReport report, CancellationToken cancellationToken) => Results.Json(await report.CreateAsync(cancellationToken)));
        read.MapGet("/api/tasks/{id}/result", async (string id, TaskLookup lookup, CancellationToken cancellationToken) =>
            ParseTaskId(id) is not Guid taskId ? NotATaskId(id)
            : await lookup.FindResultAsync(taskId, cancellationToken) is { } result ? Results.Text(result, "application/json; charset=utf-8")
            : Results.Json(new { error = $"Task {taskId} does not exist or has no result." }, statusCode: StatusCodes.Status404NotFound));
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(DashboardPolicies.Read);
        read.MapGet("/api/autoscaler", (AutoscalerState autoscaler) => Results.Json(autoscaler.Report));
        read.MapGet("/api/auth/whoami", (ClaimsPrincipal user) => Results.Json(new
        {
            name = user.Identity?.Name,
            role = user.FindAll(ClaimTypes.Role).Select(c => c.Value).LastOrDefault(),
        }));

        endpoints.MapWorkFleetHttpApi();

        var admin = endpoints.MapGroup("").RequireAuthorization(DashboardPolicies.Admin);
        admin.MapGet("/api/auth/keys", (ApiKeyRing ring, DashboardOptions options) => Results.Json(new
        {
            authentication = options.Authentication.ToString(),
            keys = ring.Keys.Select(k => new { name = k.Name, role = DashboardPolicies.RoleName(k.Role) }),
        }));
        return endpoints;
    }

    private static Guid? ParseTaskId(string id) => Guid.TryParse(id, out var taskId) ? taskId : null;

    private static IResult NotATaskId(string id) =>
        Results.Json(new { error = $"'{id}' is not a task id (a UUID)." }, statusCode: StatusCodes.Status400BadRequest);
}
