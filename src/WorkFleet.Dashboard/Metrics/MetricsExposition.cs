using WorkFleet.Contracts;
using WorkFleet.Dashboard.Status;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Observability;

namespace WorkFleet.Dashboard.Metrics;

/// <summary>
/// The body of <c>GET /metrics</c>: this dispatcher's counters and histograms (<see cref="DispatcherMetrics"/>)
/// and gauges of its fleet view read at scrape time. Every name starts with <c>workfleet_</c>.
/// </summary>
public static class MetricsExposition
{
    private static readonly string[] Healths = [WorkerHealth.Live, WorkerHealth.Suspect, WorkerHealth.Draining];

    /// <summary>Renders the exposition.</summary>
    /// <param name="metrics">What this dispatcher counted.</param>
    /// <param name="workers">Its fleet view.</param>
    /// <param name="fleet">The fleet's load.</param>
    /// <param name="dispatcherId">Its id.</param>
    /// <param name="strategy">Its balancing strategy.</param>
    /// <param name="rates">Its arrival and completion rates; their series are left out when null.</param>
    public static string Render(DispatcherMetrics metrics, IReadOnlyList<WorkerView> workers, FleetLoad fleet, string dispatcherId, string strategy, TaskRates? rates = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(workers);
        ArgumentNullException.ThrowIfNull(fleet);
        var text = new PrometheusText();
        text.Family("workfleet_dispatcher_info", "gauge", "This dispatcher: its id and balancing strategy.")
            .Sample("workfleet_dispatcher_info", 1, ("dispatcher", dispatcherId), ("strategy", strategy));

        text.Family("workfleet_attempts_dispatched_total", "counter", "Attempts this dispatcher sent to worker queues.")
            .Sample("workfleet_attempts_dispatched_total", metrics.AttemptsDispatched);
        text.Family("workfleet_tasks_finished_total", "counter", "Task outcomes this dispatcher decided, by outcome and error kind.");
        var finished = metrics.Finished;
        if (!finished.ContainsKey((TaskOutcome.Succeeded, "")))
        {
            text.Sample("workfleet_tasks_finished_total", 0, ("outcome", "succeeded"), ("error_kind", ""));
        }

        foreach (var ((outcome, kind), count) in finished.OrderBy(f => f.Key.Outcome).ThenBy(f => f.Key.ErrorKind, StringComparer.Ordinal))
        {
            text.Sample("workfleet_tasks_finished_total", count, ("outcome", outcome == TaskOutcome.Succeeded ? "succeeded" : "failed"), ("error_kind", kind));
        }

        text.Family("workfleet_retries_scheduled_total", "counter", "Retryable failures given another attempt.")
            .Sample("workfleet_retries_scheduled_total", metrics.RetriesScheduled);
        text.Family("workfleet_messages_refused_total", "counter", "Worker heartbeats and results refused as untrusted or implausible.")
            .Sample("workfleet_messages_refused_total", metrics.MessagesRefused);
        text.Family("workfleet_tasks_rescued_total", "counter", "Unfinished tasks taken back from lost or stopped workers.")
            .Sample("workfleet_tasks_rescued_total", metrics.TasksRescued);
        Histogram(text, "workfleet_dispatch_wait_seconds", "Time from the start of a dispatch to a granted worker slot.", metrics.DispatchWait);
        Histogram(text, "workfleet_task_run_seconds", "Job run time on the worker, from its results.", metrics.RunTime);

        text.Family("workfleet_tasks_waiting", "gauge", "Tasks waiting at this dispatcher for a free slot.")
            .Sample("workfleet_tasks_waiting", fleet.Waiting);
        text.Family("workfleet_tasks_waiting_oldest_seconds", "gauge", "How long the longest-waiting task has waited for a slot (0: none waits).")
            .Sample("workfleet_tasks_waiting_oldest_seconds", fleet.OldestWaitingAge?.TotalSeconds ?? 0);
        text.Family("workfleet_fleet_capacity", "gauge", "Slots of the workers that take tasks (live, not draining).")
            .Sample("workfleet_fleet_capacity", fleet.Capacity);
        text.Family("workfleet_fleet_running", "gauge", "Tasks held by the workers that take tasks.")
            .Sample("workfleet_fleet_running", fleet.Running);
        if (fleet.Utilization is { } utilization)
        {
            text.Family("workfleet_fleet_utilization", "gauge", "(running + waiting) / capacity: above 1, tasks queue. Absent while no worker takes tasks.")
                .Sample("workfleet_fleet_utilization", utilization);
        }

        if (fleet.ResourceLoadMean is { } mean && fleet.ResourceLoadMax is { } max)
        {
            text.Family("workfleet_fleet_resource_load_mean", "gauge", "Mean of max(host CPU, host memory) over the workers that take tasks. Absent while none reports host figures.")
                .Sample("workfleet_fleet_resource_load_mean", mean);
            text.Family("workfleet_fleet_resource_load_max", "gauge", "Highest max(host CPU, host memory) among the workers that take tasks. Absent while none reports host figures.")
                .Sample("workfleet_fleet_resource_load_max", max);
        }

        if (rates is not null)
        {
            text.Family("workfleet_tasks_arrival_rate", "gauge", "Tasks this dispatcher accepted per second over the last 10 s.")
                .Sample("workfleet_tasks_arrival_rate", rates.ArrivalsPerSecond);
            text.Family("workfleet_tasks_completion_rate", "gauge", "Task outcomes this dispatcher decided per second over the last 10 s.")
                .Sample("workfleet_tasks_completion_rate", rates.CompletionsPerSecond);
        }

        text.Family("workfleet_workers", "gauge", "Workers in this dispatcher's view by health (lost workers have left it).");
        foreach (var health in Healths)
        {
            text.Sample("workfleet_workers", workers.Count(w => StatusReport.Health(w) == health), ("health", health));
        }

        var ordered = workers.OrderBy(w => w.Snapshot.WorkerId, StringComparer.Ordinal).ToList();
        WorkerGauge(text, ordered, "workfleet_worker_load", "Estimated tasks held by the worker (ledger plus what only its heartbeat shows).", w => w.EstimatedLoad);
        WorkerGauge(text, ordered, "workfleet_worker_capacity", "Most tasks the worker holds at once.", w => w.Snapshot.Capacity);
        WorkerGauge(text, ordered, "workfleet_worker_weight", "The worker's weight (relative speed).", w => w.Snapshot.Weight);
        WorkerGauge(text, ordered, "workfleet_worker_live", "1 while the worker's heartbeats are recent enough for it to get tasks.", w => w.IsAlive && !w.Snapshot.IsDraining ? 1 : 0);
        WorkerGauge(text, ordered, "workfleet_worker_task_duration_ewma_seconds", "Smoothed run time of the worker's tasks, from its heartbeats.", w => w.Snapshot.EwmaTaskDurationMs / 1000);
        HostGauges(text, ordered);
        return text.ToString();
    }

    /// <summary>Host figures from heartbeats; a worker that did not report one has no series (absent, not 0).</summary>
    private static void HostGauges(PrometheusText text, IReadOnlyList<WorkerView> workers)
    {
        OptionalWorkerGauge(text, workers, "workfleet_worker_host_cpu_utilization", "CPU use of the worker's whole host, 0..1.", w => w.Snapshot.HostCpuUtilization);
        OptionalWorkerGauge(text, workers, "workfleet_worker_host_memory_utilization", "Memory in use on the worker's host, (MemTotal - MemAvailable) / MemTotal.", w => w.Snapshot.HostMemoryUtilization);
        OptionalWorkerGauge(text, workers, "workfleet_worker_resource_load", "max(host CPU, host memory): the resource-load scaling signal.", w => w.Snapshot.ResourceLoad);
        GpuGauge(text, workers, "workfleet_worker_gpu_utilization", "GPU busy share, 0..1, from nvidia-smi. Absent without a GPU tool.", g => g.Utilization);
        GpuGauge(text, workers, "workfleet_worker_gpu_memory_used_bytes", "GPU memory in use, from nvidia-smi. Absent without a GPU tool.", g => g.MemoryUsedBytes);
        GpuGauge(text, workers, "workfleet_worker_gpu_memory_total_bytes", "GPU memory in total, from nvidia-smi. Absent without a GPU tool.", g => g.MemoryTotalBytes);
    }

    private static void OptionalWorkerGauge(PrometheusText text, IReadOnlyList<WorkerView> workers, string name, string help, Func<WorkerView, double?> value)
    {
        var known = workers.Select(w => (w.Snapshot.WorkerId, Value: value(w))).Where(w => w.Value is not null).ToList();
        if (known.Count == 0)
        {
            return;
        }

        text.Family(name, "gauge", help);
        foreach (var (worker, sample) in known)
        {
            text.Sample(name, sample!.Value, ("worker", worker));
        }
    }

    private static void GpuGauge(PrometheusText text, IReadOnlyList<WorkerView> workers, string name, string help, Func<GpuStatus, double?> value)
    {
        var known = workers
            .SelectMany(w => (w.Snapshot.Gpus ?? []).Select(g => (w.Snapshot.WorkerId, Gpu: g.Index, Value: value(g))))
            .Where(g => g.Value is not null)
            .ToList();
        if (known.Count == 0)
        {
            return;
        }

        text.Family(name, "gauge", help);
        foreach (var (worker, gpu, sample) in known)
        {
            text.Sample(name, sample!.Value, ("worker", worker), ("gpu", gpu.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    private static void Histogram(PrometheusText text, string name, string help, LatencyHistogram histogram)
    {
        text.Family(name, "histogram", help);
        var (counts, sum) = histogram.Read();
        long cumulative = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            cumulative += counts[i];
            var bound = i < histogram.BoundsSeconds.Count ? histogram.BoundsSeconds[i] : double.PositiveInfinity;
            text.Sample(name + "_bucket", cumulative, ("le", PrometheusText.Number(bound)));
        }

        text.Sample(name + "_sum", sum).Sample(name + "_count", cumulative);
    }

    private static void WorkerGauge(PrometheusText text, IReadOnlyList<WorkerView> workers, string name, string help, Func<WorkerView, double> value)
    {
        text.Family(name, "gauge", help);
        foreach (var worker in workers)
        {
            text.Sample(name, value(worker), ("worker", worker.Snapshot.WorkerId));
        }
    }
}
