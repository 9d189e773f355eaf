using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using WorkFleet.Contracts;
using WorkFleet.Dashboard.Status;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Observability;

namespace WorkFleet.Dashboard.Metrics;

/// <summary>
/// Gauges of this dispatcher and its fleet view, read when metrics are collected (a scrape of <c>/metrics</c>, an OTLP
/// export): waiting tasks, the fleet's capacity and load, arrival and completion rates, workers by health. A gauge with
/// nothing to report (no utilization while no worker takes tasks) has no series, so it is absent rather than 0.
/// </summary>
public sealed class FleetGauges
{
    private static readonly string[] Healths = [WorkerHealth.Live, WorkerHealth.Suspect, WorkerHealth.Draining];

    private readonly SlotAllocator _slots;
    private readonly TimeProvider _clock;

    /// <summary>Creates the gauges on the <see cref="DispatcherMetrics.MeterName"/> meter.</summary>
    public FleetGauges(IMeterFactory meters, SlotAllocator slots, TaskRates rates, IOptions<DispatcherOptions> options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentNullException.ThrowIfNull(options);
        _slots = slots ?? throw new ArgumentNullException(nameof(slots));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        var meter = meters.Create(DispatcherMetrics.MeterName);
        var info = new Measurement<int>(1, new("dispatcher", options.Value.DispatcherId), new("strategy", options.Value.Strategy));
        meter.CreateObservableGauge("workfleet.dispatcher.info", () => info, null, "This dispatcher: its id and balancing strategy.");
        meter.CreateObservableGauge("workfleet.tasks.waiting", () => Load().Waiting, "{task}", "Tasks waiting at this dispatcher for a free slot.");
        meter.CreateObservableGauge("workfleet.tasks.waiting.oldest", () => Load().OldestWaitingAge?.TotalSeconds ?? 0, "s",
            "How long the longest-waiting task has waited for a slot (0: none waits).");
        meter.CreateObservableGauge("workfleet.fleet.capacity", () => Load().Capacity, "{slot}", "Slots of the workers that take tasks (live, not draining).");
        meter.CreateObservableGauge("workfleet.fleet.running", () => Load().Running, "{task}", "Tasks held by the workers that take tasks.");
        meter.CreateObservableGauge("workfleet.fleet.utilization", () => Optional(Load().Utilization), null,
            "(running + waiting) / capacity: above 1, tasks queue. Absent while no worker takes tasks.");
        meter.CreateObservableGauge("workfleet.fleet.resource_load_mean", () => Optional(Load().ResourceLoadMean), null,
            "Mean of max(host CPU, host memory) over the workers that take tasks. Absent while none reports host figures.");
        meter.CreateObservableGauge("workfleet.fleet.resource_load_max", () => Optional(Load().ResourceLoadMax), null,
            "Highest max(host CPU, host memory) among the workers that take tasks. Absent while none reports host figures.");
        meter.CreateObservableGauge("workfleet.tasks.arrival_rate", () => rates.ArrivalsPerSecond, null,
            "Tasks this dispatcher accepted per second over the last 10 s.");
        meter.CreateObservableGauge("workfleet.tasks.completion_rate", () => rates.CompletionsPerSecond, null,
            "Task outcomes this dispatcher decided per second over the last 10 s.");
        meter.CreateObservableGauge("workfleet.workers", WorkersByHealth, "{worker}", "Workers in this dispatcher's view by health (lost workers have left it).");
    }

    private FleetLoad Load() => FleetLoad.Of(_slots.Snapshot(), _slots.WaitingLine(), _clock.GetUtcNow());

    private static IEnumerable<Measurement<double>> Optional(double? value) => value is { } v ? [new Measurement<double>(v)] : [];

    private IEnumerable<Measurement<int>> WorkersByHealth()
    {
        var workers = _slots.Snapshot();
        return Healths.Select(health => new Measurement<int>(workers.Count(w => StatusReport.Health(w) == health), new KeyValuePair<string, object?>("health", health)));
    }
}
