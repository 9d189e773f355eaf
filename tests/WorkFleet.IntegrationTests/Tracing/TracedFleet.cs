using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;
using WorkFleet.Client;

namespace WorkFleet.IntegrationTests.Tracing;

/// <summary>
/// A dispatcher with its HTTP API, one worker of capacity 1 and a producer on a test's own virtual host and database,
/// as their hosts run them (tracing registered by each role, no OTLP endpoint), plus a test span source that a producer
/// would have. The dispatcher's tracer exports to <see cref="Spans"/>; the hosts share this process, so that tracer sees
/// the spans of every host's sources.
/// </summary>
public sealed class TracedFleet : IAsyncDisposable
{
    private readonly RunningHosts _hosts = new();
    private readonly ActivitySource _producerSource = new("WorkFleet.IntegrationTests.Producer");
    private readonly ActivityListener _producerTracing;
    private Uri _dashboard = null!;

    private TracedFleet()
    {
        // The producer's own tracing samples its spans; the fleet's tracers follow it (parent-based sampling).
        _producerTracing = new ActivityListener
        {
            ShouldListenTo = source => ReferenceEquals(source, _producerSource),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_producerTracing);
    }

    /// <summary>The spans the dispatcher's tracer exported.</summary>
    public SpanCollection Spans { get; } = new();

    /// <summary>The producer.</summary>
    public WorkFleetClient Client { get; private set; } = null!;

    /// <summary>Starts the fleet.</summary>
    public static async Task<TracedFleet> StartAsync(InfrastructureFixture infrastructure, string name)
    {
        ArgumentNullException.ThrowIfNull(infrastructure);
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique(name));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique(name));
        var fleet = new TracedFleet();
        try
        {
            var dashboard = new Dictionary<string, string?>
            {
                ["WorkFleet:Dashboard:ApiKeys:0:Name"] = "tests",
                ["WorkFleet:Dashboard:ApiKeys:0:Role"] = "Admin",
                ["WorkFleet:Dashboard:ApiKeys:0:Key"] = FleetHosts.DashboardApiKey,
            };
            var app = FleetHosts.BuildDispatcherWithDashboard(rabbit, database, dashboard, builder =>
                builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(fleet.Spans)));
            fleet._hosts.Add<IHost>(app);
            fleet._dashboard = await FleetHosts.StartDashboardAsync(app);
            fleet._hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Capacity, o.EnableDiagnosticJobs) = ($"{name}-w1", 1, true)));
            var producer = fleet._hosts.Add(await FleetHosts.StartClientAsync(rabbit));
            fleet.Client = producer.Services.GetRequiredService<WorkFleetClient>();
            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Submits a <c>diagnostics.sleep</c> task of <paramref name="sleepMs"/> under a new producer span (a trace of its
    /// own); returns the task id and that trace's id.
    /// </summary>
    public Task<(Guid TaskId, ActivityTraceId TraceId)> SubmitTracedAsync(int sleepMs) =>
        SubmitTracedAsync("diagnostics.sleep", $$"""{"ms":{{sleepMs}}}""");

    /// <summary>Submits a <paramref name="jobType"/> task with <paramref name="payload"/> (JSON) under a new producer span.</summary>
    public async Task<(Guid TaskId, ActivityTraceId TraceId)> SubmitTracedAsync(string jobType, string payload)
    {
        using var span = _producerSource.StartActivity("produce task", ActivityKind.Internal)
            ?? throw new InvalidOperationException("The producer's span was not created.");
        var task = Client.CreateTask(jobType, TestJobs.Parse(payload));
        await Client.SubmitAsync(task);
        return (task.TaskId, span.TraceId);
    }

    /// <summary>The <c>traceId</c> that <c>GET /api/tasks/{id}</c> answers for <paramref name="taskId"/>.</summary>
    public async Task<string?> TraceIdFromApiAsync(Guid taskId)
    {
        using var http = new HttpClient { BaseAddress = _dashboard };
        http.DefaultRequestHeaders.Add("X-Api-Key", FleetHosts.DashboardApiKey);
        using var response = await http.GetAsync(new Uri($"api/tasks/{taskId}", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("traceId").GetString();
    }

    /// <summary>Waits until the spans of trace <paramref name="traceId"/> satisfy <paramref name="complete"/>, failing after a minute.</summary>
    public async Task<IReadOnlyList<Activity>> WaitForTraceAsync(ActivityTraceId traceId, Func<IReadOnlyList<Activity>, bool> complete, string what)
    {
        var trace = await Eventually.UntilAsync(() => Task.FromResult(new TraceSpans(Spans.OfTrace(traceId))), t => complete(t.Spans), TimeSpan.FromMinutes(1), what);
        return trace.Spans;
    }

    /// <summary>A trace's spans, listed one per line in a failure message.</summary>
    private sealed record TraceSpans(IReadOnlyList<Activity> Spans)
    {
        public override string ToString() => string.Join(
            Environment.NewLine,
            Spans.Select(s => $"{s.Source.Name} {s.Kind} '{s.OperationName}' {s.GetTagItem("messaging.masstransit.consumer_type")} {s.GetTagItem("messaging.masstransit.message_types")} {s.GetTagItem("workfleet.task.id")}").Prepend(""));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _hosts.DisposeAsync();
        _producerTracing.Dispose();
        _producerSource.Dispose();
    }
}
