using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Worker.Configuration;
using WorkFleet.Worker.Hosting;

namespace WorkFleet.IntegrationTests.Telemetry;

/// <summary>
/// <c>/metrics</c> of a running dispatcher and of a worker, both served by the OpenTelemetry SDK's Prometheus exporter:
/// valid exposition text, the documented names with their types, and values that follow what ran.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class MetricsEndpointTests(InfrastructureFixture infrastructure)
{
    private const int MlpTasks = 12;
    private const int MatmulTasks = 4;

    /// <summary>The dispatcher's documented families (README, /metrics) that a fleet with live workers always shows.</summary>
    private static readonly (string Name, string Type)[] DispatcherFamilies =
    [
        ("workfleet_dispatcher_info", "gauge"),
        ("workfleet_tasks_finished_total", "counter"),
        ("workfleet_attempts_dispatched_total", "counter"),
        ("workfleet_retries_scheduled_total", "counter"),
        ("workfleet_tasks_rescued_total", "counter"),
        ("workfleet_messages_refused_total", "counter"),
        ("workfleet_dispatch_wait_seconds", "histogram"),
        ("workfleet_task_run_seconds", "histogram"),
        ("workfleet_tasks_waiting", "gauge"),
        ("workfleet_tasks_waiting_oldest_seconds", "gauge"),
        ("workfleet_fleet_capacity", "gauge"),
        ("workfleet_fleet_running", "gauge"),
        ("workfleet_fleet_utilization", "gauge"),
        ("workfleet_fleet_resource_load_mean", "gauge"),
        ("workfleet_fleet_resource_load_max", "gauge"),
        ("workfleet_tasks_arrival_rate", "gauge"),
        ("workfleet_tasks_completion_rate", "gauge"),
        ("workfleet_workers", "gauge"),
        ("workfleet_worker_load", "gauge"),
        ("workfleet_worker_capacity", "gauge"),
        ("workfleet_worker_weight", "gauge"),
        ("workfleet_worker_live", "gauge"),
        ("workfleet_worker_task_duration_ewma_seconds", "gauge"),
        ("workfleet_worker_host_cpu_utilization", "gauge"),
        ("workfleet_worker_host_memory_utilization", "gauge"),
        ("workfleet_worker_resource_load", "gauge"),
        ("workfleet_autoscaler_enabled", "gauge"),
    ];

    [Fact]
    public async Task Metrics_AfterTasksRan_DispatcherAndWorkerServeTheDocumentedNamesAndCounts()
    {
        // Arrange: a dispatcher with its dashboard, one worker that batches inference.mlp and serves /metrics, a producer.
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("metrics"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("metrics"));
        var (dispatcher, dashboard) = await FleetHosts.StartDispatcherWithDashboardAsync(rabbit, database);
        await using var hosts = new RunningHosts();
        hosts.Add(dispatcher);
        var worker = await FleetHosts.StartWorkerAsync(rabbit, o =>
        {
            (o.WorkerId, o.Capacity, o.HealthUrls) = ("metrics-w1", 8, "http://127.0.0.1:0");
            o.Batching["inference.mlp"] = new BatchingOptions { MaxBatchSize = 4, MaxDelay = TimeSpan.FromMilliseconds(20) };
        });
        hosts.Add(worker);
        var workerMetrics = new Uri($"{worker.Services.GetServices<IHostedService>().OfType<WorkerHealthEndpoint>().Single().Addresses.Single()}/metrics");
        using var http = new HttpClient { BaseAddress = dashboard, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Api-Key", FleetHosts.DashboardApiKey);
        var producer = await FleetHosts.StartClientAsync(rabbit);
        hosts.Add(producer);
        var client = producer.Services.GetRequiredService<WorkFleetClient>();
        var before = PrometheusText.Parse(await http.GetStringAsync(new Uri("metrics", UriKind.Relative)));
        var tasks = Enumerable.Range(0, MlpTasks).Select(i => client.CreateTask("inference.mlp", MlpRequest(i)))
            .Concat(Enumerable.Range(0, MatmulTasks).Select(i => client.CreateTask("compute.matmul", TestJobs.Parse($$"""{"size":16,"seed":{{i}},"repeat":1}"""))))
            .ToList();

        // Act
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var outcomes = tasks.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();
        await client.SubmitManyAsync(tasks);
        var finished = await Task.WhenAll(outcomes);
        var after = PrometheusText.Parse(await http.GetStringAsync(new Uri("metrics", UriKind.Relative)));
        var fromWorker = PrometheusText.Parse(await http.GetStringAsync(workerMetrics));

        // Assert: every task ran; the dispatcher's page has each documented family with its type and the counts moved.
        Assert.All(finished, f => Assert.Equal(TaskOutcome.Succeeded, f.Outcome));
        Assert.All(DispatcherFamilies, family => Assert.Equal(family.Type, after.Types.GetValueOrDefault(family.Name)));
        Assert.Equal(0, before.Value("workfleet_tasks_finished_total", ("outcome", "succeeded"), ("error_kind", "")));
        Assert.Equal(tasks.Count, after.Value("workfleet_tasks_finished_total", ("outcome", "succeeded"), ("error_kind", "")));
        Assert.Equal(tasks.Count, after.Value("workfleet_attempts_dispatched_total"));
        Assert.Equal(tasks.Count, after.Value("workfleet_task_run_seconds_count"));
        Assert.Equal(tasks.Count, after.Value("workfleet_dispatch_wait_seconds_bucket", ("le", "+Inf")));
        Assert.Equal(0, after.Value("workfleet_retries_scheduled_total"));
        Assert.Equal(1, after.Value("workfleet_workers", ("health", "live")));
        Assert.Equal(8, after.Value("workfleet_worker_capacity", ("worker", "metrics-w1")));
        Assert.Equal(1, after.Value("workfleet_dispatcher_info", ("strategy", "fastest-free-slot")));
        Assert.Equal(0, after.Value("workfleet_autoscaler_enabled"));
        Assert.Empty(after.Find("workfleet_worker_gpu_utilization"));

        // The worker's own page: run time by job type, queue wait, and batches that together held every MLP task.
        Assert.Equal("histogram", fromWorker.Types.GetValueOrDefault("workfleet_worker_task_run_seconds"));
        Assert.Equal("histogram", fromWorker.Types.GetValueOrDefault("workfleet_worker_queue_wait_seconds"));
        Assert.Equal("histogram", fromWorker.Types.GetValueOrDefault("workfleet_worker_batch_size"));
        Assert.Equal(MlpTasks, fromWorker.Value("workfleet_worker_task_run_seconds_count", ("worker", "metrics-w1"), ("job_type", "inference.mlp"), ("outcome", "succeeded")));
        Assert.Equal(MatmulTasks, fromWorker.Value("workfleet_worker_task_run_seconds_count", ("job_type", "compute.matmul"), ("outcome", "succeeded")));
        Assert.Equal(tasks.Count, fromWorker.Find("workfleet_worker_queue_wait_seconds_count").Sum(s => s.Value));
        Assert.Equal(MlpTasks, fromWorker.Value("workfleet_worker_batch_size_sum", ("job_type", "inference.mlp")));
        Assert.InRange(fromWorker.Value("workfleet_worker_batch_size_count", ("job_type", "inference.mlp")), MlpTasks / 4, MlpTasks);
        Assert.DoesNotContain(fromWorker.Types.Keys, name => name.StartsWith("workfleet_tasks_", StringComparison.Ordinal));
    }

    private static JsonElement MlpRequest(int seed)
    {
        var random = new Random(seed);
        var row = Enumerable.Range(0, 64).Select(_ => (float)random.Next(0, 16)).ToArray();
        return JsonSerializer.SerializeToElement(new { model = "digits-mlp", inputs = new[] { row } });
    }
}
