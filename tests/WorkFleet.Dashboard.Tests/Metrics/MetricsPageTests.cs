using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WorkFleet.Balancing;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Autoscaling;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Observability;

namespace WorkFleet.Dashboard.Tests.Metrics;

/// <summary>
/// The dispatcher's <c>/metrics</c> as the OpenTelemetry Prometheus exporter renders it from <see cref="DispatcherMetrics"/>
/// and the gauges: the documented names, labels and buckets, and no series where nothing is known.
/// </summary>
public sealed class MetricsPageTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new(Start);
    private WebApplication _app = null!;
    private Uri _metrics = null!;

    private DispatcherMetrics Counts => _app.Services.GetRequiredService<DispatcherMetrics>();

    private SlotAllocator Slots => _app.Services.GetRequiredService<SlotAllocator>();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<TimeProvider>(_clock);
        builder.Services.AddSingleton(Options.Create(new DispatcherOptions { DispatcherId = "dispatcher-\"a\"", Strategy = "fastest-free-slot" }));
        builder.Services.AddSingleton<SlotAllocator>();
        builder.Services.AddSingleton<TaskRates>();
        builder.Services.AddSingleton<AutoscalerState>();
        builder.Services.AddSingleton<DispatcherMetrics>();
        builder.AddWorkFleetDashboardMetrics();
        _app = builder.Build();
        _app.MapPrometheusScrapingEndpoint("/metrics");
        await _app.StartAsync();
        _metrics = new Uri($"{_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()}/metrics");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Scrape_CountsAndHistograms_CumulativeWithTheDocumentedNamesLabelsAndBuckets()
    {
        Counts.AttemptDispatched(TimeSpan.FromMilliseconds(1));
        Counts.AttemptDispatched(TimeSpan.FromMilliseconds(3));
        Counts.AttemptDispatched(TimeSpan.FromSeconds(100));
        Counts.TaskFinished(TaskOutcome.Succeeded, null);
        Counts.TaskFinished(TaskOutcome.Failed, "timeout");
        Counts.TaskFinished(TaskOutcome.Failed, "timeout");
        Counts.RetryScheduled();
        Counts.TasksTakenBack(4);

        var page = await ScrapeAsync();

        Assert.Equal(1, page.Value("workfleet_dispatcher_info", ("dispatcher", "dispatcher-\"a\""), ("strategy", "fastest-free-slot")));
        Assert.Equal("counter", page.Types["workfleet_attempts_dispatched_total"]);
        Assert.Equal(3, page.Value("workfleet_attempts_dispatched_total"));
        Assert.Equal(1, page.Value("workfleet_tasks_finished_total", ("outcome", "succeeded"), ("error_kind", "")));
        Assert.Equal(2, page.Value("workfleet_tasks_finished_total", ("outcome", "failed"), ("error_kind", "timeout")));
        Assert.Equal(1, page.Value("workfleet_retries_scheduled_total"));
        Assert.Equal(4, page.Value("workfleet_tasks_rescued_total"));
        Assert.Equal(0, page.Value("workfleet_messages_refused_total"));

        // 1 ms lands in le=0.001 (bounds are inclusive), 3 ms in le=0.005, 100 s only in +Inf.
        Assert.Equal("histogram", page.Types["workfleet_dispatch_wait_seconds"]);
        Assert.Equal(1, page.Value("workfleet_dispatch_wait_seconds_bucket", ("le", "0.001")));
        Assert.Equal(1, page.Value("workfleet_dispatch_wait_seconds_bucket", ("le", "0.0025")));
        Assert.Equal(2, page.Value("workfleet_dispatch_wait_seconds_bucket", ("le", "0.005")));
        Assert.Equal(2, page.Value("workfleet_dispatch_wait_seconds_bucket", ("le", "60")));
        Assert.Equal(3, page.Value("workfleet_dispatch_wait_seconds_bucket", ("le", "+Inf")));
        Assert.Equal(LatencyHistogram.DefaultBoundsSeconds.Count + 1, page.Find("workfleet_dispatch_wait_seconds_bucket").Count());
        Assert.Equal(3, page.Value("workfleet_dispatch_wait_seconds_count"));
        Assert.Equal(100.004, page.Value("workfleet_dispatch_wait_seconds_sum"), 9);
    }

    [Fact]
    public async Task Scrape_NothingHappenedYet_CountersAtZeroAndNoFleetUtilization()
    {
        var page = await ScrapeAsync();

        Assert.Equal(0, page.Value("workfleet_tasks_finished_total", ("outcome", "succeeded"), ("error_kind", "")));
        Assert.Equal(0, page.Value("workfleet_attempts_dispatched_total"));
        Assert.Equal(0, page.Value("workfleet_fleet_capacity"));
        Assert.Equal(0, page.Value("workfleet_tasks_waiting_oldest_seconds"));
        Assert.Empty(page.Find("workfleet_fleet_utilization"));
        Assert.Equal(0, page.Value("workfleet_autoscaler_enabled"));
        Assert.DoesNotContain(page.Types.Keys, name => name.StartsWith("workfleet_autoscaler_", StringComparison.Ordinal) && name != "workfleet_autoscaler_enabled");
    }

    [Fact]
    public async Task Scrape_Workers_GaugesPerWorkerCountsByHealthAndHostFiguresOnlyWhereReported()
    {
        // Arrange: w-b takes tasks and reports host figures and two GPUs (one without a utilization), w-c drains.
        Slots.Apply(Snapshot("w-b", weight: 2, capacity: 4) with
        {
            ReportedLoad = 3,
            EwmaTaskDurationMs = 250,
            HostCpuUtilization = 0.25,
            HostMemoryUtilization = 0.5,
            Gpus =
            [
                new GpuStatus { Index = 0, Name = "NVIDIA A10G", Utilization = 0.75, MemoryUsedBytes = 1024, MemoryTotalBytes = 4096 },
                new GpuStatus { Index = 1, Name = "NVIDIA A10G", Utilization = null, MemoryUsedBytes = 0, MemoryTotalBytes = 4096 },
            ],
        });
        Slots.Apply(Snapshot("w-c", weight: 8, capacity: 8) with { IsDraining = true });

        // Act
        var page = await ScrapeAsync();

        // Assert: only w-b takes tasks: capacity 4, its 3 reported tasks running, utilization 3 / 4.
        Assert.Equal(1, page.Value("workfleet_workers", ("health", "live")));
        Assert.Equal(0, page.Value("workfleet_workers", ("health", "suspect")));
        Assert.Equal(1, page.Value("workfleet_workers", ("health", "draining")));
        Assert.Equal(4, page.Value("workfleet_fleet_capacity"));
        Assert.Equal(0.75, page.Value("workfleet_fleet_utilization"));
        Assert.Equal(8, page.Value("workfleet_worker_capacity", ("worker", "w-c")));
        Assert.Equal(2, page.Value("workfleet_worker_weight", ("worker", "w-b")));
        Assert.Equal(1, page.Value("workfleet_worker_live", ("worker", "w-b")));
        Assert.Equal(0, page.Value("workfleet_worker_live", ("worker", "w-c")));
        Assert.Equal(0.25, page.Value("workfleet_worker_task_duration_ewma_seconds", ("worker", "w-b")));
        Assert.Equal(0.25, page.Value("workfleet_worker_host_cpu_utilization", ("worker", "w-b")));
        Assert.Equal(0.5, page.Value("workfleet_worker_resource_load", ("worker", "w-b")));
        Assert.Equal(0.5, page.Value("workfleet_fleet_resource_load_max"));
        Assert.Equal(0.75, page.Value("workfleet_worker_gpu_utilization", ("worker", "w-b"), ("gpu", "0")));
        Assert.Empty(page.Find("workfleet_worker_gpu_utilization", ("gpu", "1")));
        Assert.Equal(4096, page.Value("workfleet_worker_gpu_memory_total_bytes", ("worker", "w-b"), ("gpu", "1")));
        Assert.DoesNotContain(page.Samples, s => s.Labels.GetValueOrDefault("worker") == "w-c" && (s.Name.Contains("_host_", StringComparison.Ordinal) || s.Name.Contains("_gpu_", StringComparison.Ordinal)));
    }

    private async Task<PrometheusText> ScrapeAsync()
    {
        using var http = new HttpClient();
        return PrometheusText.Parse(await http.GetStringAsync(_metrics));
    }

    private WorkerSnapshot Snapshot(string id, double weight, int capacity) => new()
    {
        WorkerId = id,
        Weight = weight,
        Capacity = capacity,
        Incarnation = Start,
        LastSeen = _clock.GetUtcNow(),
    };
}
