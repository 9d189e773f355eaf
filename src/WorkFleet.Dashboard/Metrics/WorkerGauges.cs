using System.Diagnostics.Metrics;
using System.Globalization;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Observability;

namespace WorkFleet.Dashboard.Metrics;

/// <summary>
/// One series per worker in this dispatcher's view (label <c>worker</c>), read when metrics are collected: load,
/// capacity, weight, liveness, smoothed task duration, and the host and GPU figures of its heartbeats. A worker that left
/// the view, or did not report a figure, has no series for it (absent, not 0).
/// </summary>
public sealed class WorkerGauges
{
    private readonly SlotAllocator _slots;

    /// <summary>Creates the gauges on the <see cref="DispatcherMetrics.MeterName"/> meter.</summary>
    public WorkerGauges(IMeterFactory meters, SlotAllocator slots)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _slots = slots ?? throw new ArgumentNullException(nameof(slots));
        var meter = meters.Create(DispatcherMetrics.MeterName);
        Gauge(meter, "workfleet.worker.load", "{task}", "Estimated tasks held by the worker (ledger plus what only its heartbeat shows).", w => w.EstimatedLoad);
        Gauge(meter, "workfleet.worker.capacity", "{slot}", "Most tasks the worker holds at once.", w => w.Snapshot.Capacity);
        Gauge(meter, "workfleet.worker.weight", null, "The worker's weight (relative speed).", w => w.Snapshot.Weight);
        Gauge(meter, "workfleet.worker.live", null, "1 while the worker's heartbeats are recent enough for it to get tasks.", w => w.IsAlive && !w.Snapshot.IsDraining ? 1 : 0);
        Gauge(meter, "workfleet.worker.task_duration_ewma", "s", "Smoothed run time of the worker's tasks, from its heartbeats.", w => w.Snapshot.EwmaTaskDurationMs / 1000);
        Gauge(meter, "workfleet.worker.host_cpu_utilization", null, "CPU use of the worker's whole host, 0..1.", w => w.Snapshot.HostCpuUtilization);
        Gauge(meter, "workfleet.worker.host_memory_utilization", null, "Memory in use on the worker's host, (MemTotal - MemAvailable) / MemTotal.", w => w.Snapshot.HostMemoryUtilization);
        Gauge(meter, "workfleet.worker.resource_load", null, "max(host CPU, host memory): the resource-load scaling signal.", w => w.Snapshot.ResourceLoad);
        GpuGauge(meter, "workfleet.worker.gpu_utilization", null, "GPU busy share, 0..1, from nvidia-smi. Absent without a GPU tool.", g => g.Utilization);
        GpuGauge(meter, "workfleet.worker.gpu_memory_used", "By", "GPU memory in use, from nvidia-smi. Absent without a GPU tool.", g => g.MemoryUsedBytes);
        GpuGauge(meter, "workfleet.worker.gpu_memory_total", "By", "GPU memory in total, from nvidia-smi. Absent without a GPU tool.", g => g.MemoryTotalBytes);
    }

    private void Gauge(Meter meter, string name, string? unit, string description, Func<WorkerView, double?> value) =>
        meter.CreateObservableGauge(name, () => _slots.Snapshot()
            .Select(w => (w.Snapshot.WorkerId, Value: value(w)))
            .Where(w => w.Value is not null)
            .Select(w => new Measurement<double>(w.Value!.Value, new KeyValuePair<string, object?>("worker", w.WorkerId))), unit, description);

    private void GpuGauge(Meter meter, string name, string? unit, string description, Func<GpuStatus, double?> value) =>
        meter.CreateObservableGauge(name, () => _slots.Snapshot()
            .SelectMany(w => (w.Snapshot.Gpus ?? []).Select(g => (w.Snapshot.WorkerId, Gpu: g.Index, Value: value(g))))
            .Where(g => g.Value is not null)
            .Select(g => new Measurement<double>(
                g.Value!.Value,
                new KeyValuePair<string, object?>("worker", g.WorkerId),
                new KeyValuePair<string, object?>("gpu", g.Gpu.ToString(CultureInfo.InvariantCulture)))), unit, description);
}
