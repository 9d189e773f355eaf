using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WorkFleet.Dashboard.Metrics;
using WorkFleet.Dashboard.Status;
using WorkFleet.Dispatcher.Autoscaling;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Observability;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Maps the dispatcher's HTTP endpoints: <c>/</c> (dashboard), <c>/api/status</c>, <c>/api/tasks/{id}</c>, <c>/api/autoscaler</c>,
/// <c>/metrics</c> (Prometheus text) and <c>/healthz</c> (200 once the dispatcher consumes, 503 before).
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

    /// <summary>Maps the endpoints; see the type's summary.</summary>
    public static IEndpointRouteBuilder MapWorkFleetDashboard(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // Created now, so the reported start time is the host's, not the first request's.
        _ = endpoints.ServiceProvider.GetRequiredService<StatusReport>();
        endpoints.MapGet("/", () => Results.Bytes(Page.Value, "text/html; charset=utf-8"));
        endpoints.MapGet("/api/status", async (StatusReport report, CancellationToken cancellationToken) => Results.Json(await report.CreateAsync(cancellationToken)));
        endpoints.MapGet("/api/tasks/{id}", async (string id, TaskLookup lookup, CancellationToken cancellationToken) =>
            !Guid.TryParse(id, out var taskId) ? Results.Json(new { error = $"'{id}' is not a task id (a UUID)." }, statusCode: StatusCodes.Status400BadRequest)
            : await lookup.FindAsync(taskId, cancellationToken) is { } task ? Results.Json(task)
            : Results.Json(new { error = $"No task has id {taskId}." }, statusCode: StatusCodes.Status404NotFound));
        endpoints.MapGet("/metrics", (DispatcherMetrics metrics, SlotAllocator slots, AutoscalerState autoscaler, IOptions<DispatcherOptions> options, TimeProvider clock) =>
        {
            var workers = slots.Snapshot();
            var fleet = FleetLoad.Of(workers, slots.WaitingLine(), clock.GetUtcNow());
            return Results.Text(
                MetricsExposition.Render(metrics, workers, fleet, options.Value.DispatcherId, options.Value.Strategy) + AutoscalerExposition.Render(autoscaler.Report),
                PrometheusText.ContentType);
        });
        endpoints.MapGet("/api/autoscaler", (AutoscalerState autoscaler) => Results.Json(autoscaler.Report));
        endpoints.MapGet("/healthz", (DispatcherReadiness readiness) => readiness.IsReady
            ? Results.Json(new { status = "ready" })
            : Results.Json(new { status = "starting" }, statusCode: StatusCodes.Status503ServiceUnavailable));
        return endpoints;
    }
}
