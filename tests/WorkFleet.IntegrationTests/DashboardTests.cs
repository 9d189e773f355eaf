using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Client;
using WorkFleet.Contracts;

namespace WorkFleet.IntegrationTests;

/// <summary>The dispatcher's HTTP side against a real fleet: what it shows matches what happened.</summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class DashboardTests(InfrastructureFixture infrastructure)
{
    private const int Tasks = 12;

    [Fact]
    public async Task Dashboard_AfterTasksRanAndOneWasRejected_ApiAndMetricsCountExactlyThat()
    {
        // Arrange: a dispatcher with its dashboard, two workers of weights 1 and 2, a producer.
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("dash"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("dash"));
        var (dispatcher, dashboard) = await FleetHosts.StartDispatcherWithDashboardAsync(rabbit, database);
        await using var hosts = new RunningHosts();
        hosts.Add(dispatcher);
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Weight, o.Capacity) = ("dash-w1", 1, 2)));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Weight, o.Capacity, o.Capabilities) = ("dash-w2", 2, 4, ["gpu"])));
        using var http = new HttpClient { BaseAddress = dashboard, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Api-Key", FleetHosts.DashboardApiKey);
        var producer = await FleetHosts.StartClientAsync(rabbit);
        hosts.Add(producer);
        var client = producer.Services.GetRequiredService<WorkFleetClient>();
        var good = Enumerable.Range(0, Tasks).Select(i => TestJobs.Mixed(i)).Select(j => client.CreateTask(j.JobType, j.Payload)).ToList();
        var bad = client.CreateTask("compute.matmul", TestJobs.Parse("""{"size":8}""")) with { Priority = 42 };

        // Act
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var outcomes = good.Append(bad).Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();
        await client.SubmitManyAsync([.. good, bad]);
        var finished = await Task.WhenAll(outcomes);

        // Assert: health, then the JSON status, then the Prometheus text, then one task's details.
        Assert.Equal(Tasks, finished.Count(f => f.Outcome == TaskOutcome.Succeeded));
        using var healthz = await http.GetAsync(new Uri("healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);

        using var status = JsonDocument.Parse(await http.GetStringAsync(new Uri("api/status", UriKind.Relative)));
        var root = status.RootElement;
        Assert.True(root.GetProperty("ready").GetBoolean());
        Assert.Equal("fastest-free-slot", root.GetProperty("strategy").GetString());
        var workers = root.GetProperty("workers").EnumerateArray().ToList();
        Assert.Equal(["dash-w1", "dash-w2"], workers.Select(w => w.GetProperty("id").GetString()));
        Assert.All(workers, w => Assert.Equal("live", w.GetProperty("health").GetString()));
        Assert.Equal([2, 4], workers.Select(w => w.GetProperty("capacity").GetInt32()));
        Assert.Equal(["gpu"], workers[1].GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
        var fleet = root.GetProperty("fleet");
        Assert.Equal(6, fleet.GetProperty("capacity").GetInt32());
        Assert.Equal(0, fleet.GetProperty("waiting").GetInt32());
        Assert.Equal(JsonValueKind.Null, fleet.GetProperty("oldestWaitingAgeMs").ValueKind);
        Assert.Equal(Math.Round(fleet.GetProperty("running").GetInt32() / 6.0, 3), fleet.GetProperty("utilization").GetDouble());
        // Rates over the last 10 s: their values depend on how long the run took, so only their presence and range.
        Assert.InRange(fleet.GetProperty("arrivalRate").GetDouble(), 0, Tasks);
        Assert.InRange(fleet.GetProperty("completionRate").GetDouble(), 0, Tasks + 1);

        // Host figures from /proc (both workers share this host); no nvidia-smi here, so GPUs are null, not empty.
        foreach (var w in workers)
        {
            var cpu = w.GetProperty("hostCpuUtilization").GetDouble();
            var memory = w.GetProperty("hostMemoryUtilization").GetDouble();
            Assert.InRange(cpu, 0, 1);
            Assert.InRange(memory, 0.0001, 1);
            Assert.Equal(Math.Max(cpu, memory), w.GetProperty("resourceLoad").GetDouble());
            Assert.Equal(JsonValueKind.Null, w.GetProperty("gpus").ValueKind);
            Assert.True(w.GetProperty("ewmaTaskDurationMs").GetDouble() >= 0);
        }

        Assert.InRange(fleet.GetProperty("resourceLoadMean").GetDouble(), 0.0001, 1);
        Assert.InRange(fleet.GetProperty("resourceLoadMax").GetDouble(), fleet.GetProperty("resourceLoadMean").GetDouble(), 1);
        var totals = root.GetProperty("totals");
        Assert.Equal(Tasks, totals.GetProperty("attemptsDispatched").GetInt64());
        Assert.Equal(Tasks, totals.GetProperty("succeeded").GetInt64());
        Assert.Equal(1, totals.GetProperty("failed").GetInt64());
        Assert.Equal(1, totals.GetProperty("failedByKind").GetProperty("invalid-task").GetInt64());
        var stored = await Eventually.UntilAsync(
            async () => JsonDocument.Parse(await http.GetStringAsync(new Uri("api/status", UriKind.Relative))).RootElement.GetProperty("tasks").Clone(),
            t => t.ValueKind == JsonValueKind.Object && t.TryGetProperty("Succeeded", out var s) && s.GetInt32() == Tasks,
            TimeSpan.FromSeconds(10),
            "task counts from the store");
        Assert.Equal(1, stored.GetProperty("Failed").GetInt32());

        using var response = await http.GetAsync(new Uri("metrics", UriKind.Relative));
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var metrics = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(Tasks, metrics.Value("workfleet_tasks_finished_total", ("outcome", "succeeded"), ("error_kind", "")));
        Assert.Equal(1, metrics.Value("workfleet_tasks_finished_total", ("outcome", "failed"), ("error_kind", "invalid-task")));
        Assert.Equal(Tasks, metrics.Value("workfleet_attempts_dispatched_total"));
        Assert.Equal(Tasks, metrics.Value("workfleet_task_run_seconds_count"));
        Assert.Equal(Tasks, metrics.Value("workfleet_dispatch_wait_seconds_bucket", ("le", "+Inf")));
        var buckets = metrics.Find("workfleet_dispatch_wait_seconds_bucket").Select(s => s.Value).ToList();
        Assert.Equal(16, buckets.Count);
        Assert.Equal(buckets.Order(), buckets);
        Assert.Equal(2, metrics.Value("workfleet_workers", ("health", "live")));
        Assert.Equal(4, metrics.Value("workfleet_worker_capacity", ("worker", "dash-w2")));
        Assert.Equal(2, metrics.Value("workfleet_worker_weight", ("worker", "dash-w2")));
        Assert.InRange(metrics.Value("workfleet_worker_host_cpu_utilization", ("worker", "dash-w1")), 0, 1);
        Assert.InRange(metrics.Value("workfleet_worker_host_memory_utilization", ("worker", "dash-w2")), 0.0001, 1);
        Assert.InRange(metrics.Value("workfleet_worker_resource_load", ("worker", "dash-w2")), 0.0001, 1);
        Assert.InRange(metrics.Value("workfleet_fleet_resource_load_max"), 0.0001, 1);
        Assert.Single(metrics.Find("workfleet_tasks_arrival_rate"));
        Assert.Single(metrics.Find("workfleet_tasks_completion_rate"));
        Assert.DoesNotContain(metrics.Types.Keys, k => k.StartsWith("workfleet_worker_gpu_", StringComparison.Ordinal));

        using var task = JsonDocument.Parse(await http.GetStringAsync(new Uri($"api/tasks/{good[0].TaskId}", UriKind.Relative)));
        Assert.Equal("Succeeded", task.RootElement.GetProperty("status").GetString());
        var attempt = Assert.Single(task.RootElement.GetProperty("attempts").EnumerateArray());
        Assert.Equal("Succeeded", attempt.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Object, task.RootElement.GetProperty("result").ValueKind);
        using var unknown = await http.GetAsync(new Uri($"api/tasks/{Guid.NewGuid()}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var malformed = await http.GetAsync(new Uri("api/tasks/not-a-uuid", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("'not-a-uuid' is not a task id", await malformed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var page = await http.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("<title>WorkFleet dispatcher</title>", page, StringComparison.Ordinal);
        Assert.Contains("api/status", page, StringComparison.Ordinal);
    }
}
