using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WorkFleet.Balancing;
using WorkFleet.Contracts;
using WorkFleet.Dashboard.Metrics;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Observability;

namespace WorkFleet.Dashboard.Tests;

/// <summary><c>/metrics</c> renders what the dispatcher counted, in the Prometheus text format.</summary>
public sealed class MetricsExpositionTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public void Dispose() => _services.Dispose();

    [Fact]
    public void Render_CountsAndHistograms_AreCumulativeAndLabelled()
    {
        var metrics = new DispatcherMetrics(_services.GetRequiredService<IMeterFactory>());
        metrics.AttemptDispatched(TimeSpan.FromMilliseconds(1));
        metrics.AttemptDispatched(TimeSpan.FromMilliseconds(3));
        metrics.AttemptDispatched(TimeSpan.FromSeconds(100));
        metrics.TaskFinished(TaskOutcome.Succeeded, null);
        metrics.TaskFinished(TaskOutcome.Failed, "timeout");
        metrics.TaskFinished(TaskOutcome.Failed, "timeout");
        metrics.RetryScheduled();
        metrics.TasksTakenBack(4);

        var lines = Lines(MetricsExposition.Render(metrics, [], new FleetLoad(0, 0, 7, TimeSpan.FromSeconds(2.5)), "dispatcher-\"a\"", "fastest-free-slot"));

        Assert.Contains("workfleet_dispatcher_info{dispatcher=\"dispatcher-\\\"a\\\"\",strategy=\"fastest-free-slot\"} 1", lines);
        Assert.Contains("workfleet_attempts_dispatched_total 3", lines);
        Assert.Contains("workfleet_tasks_finished_total{outcome=\"succeeded\",error_kind=\"\"} 1", lines);
        Assert.Contains("workfleet_tasks_finished_total{outcome=\"failed\",error_kind=\"timeout\"} 2", lines);
        Assert.Contains("workfleet_retries_scheduled_total 1", lines);
        Assert.Contains("workfleet_tasks_rescued_total 4", lines);
        Assert.Contains("workfleet_tasks_waiting 7", lines);
        Assert.Contains("workfleet_tasks_waiting_oldest_seconds 2.5", lines);
        Assert.Contains("workfleet_fleet_capacity 0", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("workfleet_fleet_utilization ", StringComparison.Ordinal));

        // 1 ms lands in le=0.001 (bounds are inclusive), 3 ms in le=0.005, 100 s only in +Inf.
        Assert.Contains("workfleet_dispatch_wait_seconds_bucket{le=\"0.001\"} 1", lines);
        Assert.Contains("workfleet_dispatch_wait_seconds_bucket{le=\"0.0025\"} 1", lines);
        Assert.Contains("workfleet_dispatch_wait_seconds_bucket{le=\"0.005\"} 2", lines);
        Assert.Contains("workfleet_dispatch_wait_seconds_bucket{le=\"60\"} 2", lines);
        Assert.Contains("workfleet_dispatch_wait_seconds_bucket{le=\"+Inf\"} 3", lines);
        Assert.Contains("workfleet_dispatch_wait_seconds_count 3", lines);
        Assert.Contains("workfleet_dispatch_wait_seconds_sum 100.004", lines);
        Assert.Contains("# TYPE workfleet_dispatch_wait_seconds histogram", lines);
    }

    [Fact]
    public void Render_Workers_GaugesPerWorkerAndCountsByHealth()
    {
        var metrics = new DispatcherMetrics(_services.GetRequiredService<IMeterFactory>());
        WorkerView[] workers =
        [
            new(Snapshot("w-b", weight: 2, capacity: 4, draining: false), EstimatedLoad: 3, IsAlive: true),
            new(Snapshot("w-a", weight: 1, capacity: 2, draining: false), EstimatedLoad: 0, IsAlive: false),
            new(Snapshot("w-c", weight: 8, capacity: 8, draining: true), EstimatedLoad: 1, IsAlive: true),
        ];

        var lines = Lines(MetricsExposition.Render(metrics, workers, FleetLoad.Of(workers, (0, null), DateTimeOffset.UnixEpoch), "d", "s"));

        Assert.Contains("workfleet_workers{health=\"live\"} 1", lines);
        Assert.Contains("workfleet_workers{health=\"suspect\"} 1", lines);
        Assert.Contains("workfleet_workers{health=\"draining\"} 1", lines);
        Assert.Contains("workfleet_worker_load{worker=\"w-b\"} 3", lines);
        Assert.Contains("workfleet_worker_capacity{worker=\"w-c\"} 8", lines);
        Assert.Contains("workfleet_worker_weight{worker=\"w-a\"} 1", lines);
        Assert.Contains("workfleet_worker_live{worker=\"w-a\"} 0", lines);
        Assert.Contains("workfleet_worker_live{worker=\"w-b\"} 1", lines);
        Assert.Contains("workfleet_worker_live{worker=\"w-c\"} 0", lines);
        // Only w-b takes tasks (w-a is silent, w-c draining): capacity 4, running 3, utilization 3 / 4.
        Assert.Contains("workfleet_fleet_capacity 4", lines);
        Assert.Contains("workfleet_fleet_running 3", lines);
        Assert.Contains("workfleet_fleet_utilization 0.75", lines);
        Assert.Contains("workfleet_tasks_waiting_oldest_seconds 0", lines);
        var loads = lines.Where(l => l.StartsWith("workfleet_worker_load{", StringComparison.Ordinal)).ToList();
        Assert.Equal(["w-a", "w-b", "w-c"], loads.Select(l => l.Split('"')[1]));
    }

    [Fact]
    public void Render_HostFiguresAndRates_SeriesWithRealValues_AbsentWhereUnknown()
    {
        // Arrange: w-gpu reports host figures and two GPUs (one without a utilization), w-old reports nothing.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var rates = new TaskRates(clock);
        for (var i = 0; i < 4; i++)
        {
            rates.Arrived();
        }

        rates.Completed();
        clock.Advance(TimeSpan.FromSeconds(1.5));
        var metrics = new DispatcherMetrics(_services.GetRequiredService<IMeterFactory>());
        var withGpu = Snapshot("w-gpu", 1, 4, false) with
        {
            HostCpuUtilization = 0.25,
            HostMemoryUtilization = 0.5,
            Gpus =
            [
                new GpuStatus { Index = 0, Name = "NVIDIA A10G", Utilization = 0.75, MemoryUsedBytes = 1024, MemoryTotalBytes = 4096 },
                new GpuStatus { Index = 1, Name = "NVIDIA A10G", Utilization = null, MemoryUsedBytes = 0, MemoryTotalBytes = 4096 },
            ],
        };
        WorkerView[] workers = [new(withGpu, 0, true), new(Snapshot("w-old", 1, 4, false), 0, true)];

        // Act
        var lines = Lines(MetricsExposition.Render(metrics, workers, FleetLoad.Of(workers, (0, null), clock.GetUtcNow()), "d", "s", rates));

        // Assert: 4 arrivals and 1 outcome over the meter's first 2 seconds.
        Assert.Contains("workfleet_tasks_arrival_rate 2", lines);
        Assert.Contains("workfleet_tasks_completion_rate 0.5", lines);
        Assert.Contains("workfleet_worker_host_cpu_utilization{worker=\"w-gpu\"} 0.25", lines);
        Assert.Contains("workfleet_worker_host_memory_utilization{worker=\"w-gpu\"} 0.5", lines);
        Assert.Contains("workfleet_worker_resource_load{worker=\"w-gpu\"} 0.5", lines);
        Assert.Contains("workfleet_fleet_resource_load_mean 0.5", lines);
        Assert.Contains("workfleet_fleet_resource_load_max 0.5", lines);
        Assert.Contains("workfleet_worker_gpu_utilization{worker=\"w-gpu\",gpu=\"0\"} 0.75", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("workfleet_worker_gpu_utilization{worker=\"w-gpu\",gpu=\"1\"}", StringComparison.Ordinal));
        Assert.Contains("workfleet_worker_gpu_memory_used_bytes{worker=\"w-gpu\",gpu=\"1\"} 0", lines);
        Assert.Contains("workfleet_worker_gpu_memory_total_bytes{worker=\"w-gpu\",gpu=\"0\"} 4096", lines);
        Assert.DoesNotContain(lines, l => l.Contains("worker=\"w-old\"", StringComparison.Ordinal) && (l.Contains("_host_", StringComparison.Ordinal) || l.Contains("_gpu_", StringComparison.Ordinal) || l.Contains("resource_load", StringComparison.Ordinal)));
    }

    [Fact]
    public void Render_NoWorkerReportsHostFigures_NoHostGpuOrResourceSeries()
    {
        var metrics = new DispatcherMetrics(_services.GetRequiredService<IMeterFactory>());
        WorkerView[] workers = [new(Snapshot("w", 1, 1, false), 0, true)];

        var text = MetricsExposition.Render(metrics, workers, FleetLoad.Of(workers, (0, null), DateTimeOffset.UnixEpoch), "d", "s");

        Assert.DoesNotContain("_host_", text, StringComparison.Ordinal);
        Assert.DoesNotContain("_gpu_", text, StringComparison.Ordinal);
        Assert.DoesNotContain("resource_load", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EveryFamily_HasHelpAndTypeBeforeItsSamples()
    {
        var metrics = new DispatcherMetrics(_services.GetRequiredService<IMeterFactory>());

        var lines = Lines(MetricsExposition.Render(metrics, [new(Snapshot("w", 1, 1, false), 0, true)], new FleetLoad(1, 0, 0, null), "d", "s"));

        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                declared.Add(line.Split(' ')[2]);
            }
            else if (!line.StartsWith('#'))
            {
                var name = line.Split('{', ' ')[0];
                var family = new[] { "_bucket", "_sum", "_count" }.Aggregate(name, (n, suffix) => declared.Contains(n) || !n.EndsWith(suffix, StringComparison.Ordinal) ? n : n[..^suffix.Length]);
                Assert.True(declared.Contains(family), $"sample '{line}' comes before a TYPE line for '{family}'");
            }
        }
    }

    [Fact]
    public void Number_SpecialValues_AsPrometheusSpellsThem()
    {
        Assert.Equal("+Inf", PrometheusText.Number(double.PositiveInfinity));
        Assert.Equal("-Inf", PrometheusText.Number(double.NegativeInfinity));
        Assert.Equal("NaN", PrometheusText.Number(double.NaN));
        Assert.Equal("0.0025", PrometheusText.Number(0.0025));
    }

    private static List<string> Lines(string exposition)
    {
        Assert.EndsWith("\n", exposition, StringComparison.Ordinal);
        return [.. exposition.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    private static WorkerSnapshot Snapshot(string id, double weight, int capacity, bool draining) => new()
    {
        WorkerId = id,
        Weight = weight,
        Capacity = capacity,
        IsDraining = draining,
    };
}
