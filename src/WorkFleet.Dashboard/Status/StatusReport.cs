using Microsoft.Extensions.Options;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Observability;

namespace WorkFleet.Dashboard.Status;

/// <summary>Builds <see cref="DispatcherStatus"/> from the dispatcher's live state, its metrics and the store.</summary>
public sealed class StatusReport(
    SlotAllocator slots,
    DispatcherMetrics metrics,
    DispatcherReadiness readiness,
    TaskCounts taskCounts,
    TaskRates rates,
    JobCostEstimates costs,
    IOptions<DispatcherOptions> options,
    TimeProvider clock)
{
    private readonly DateTimeOffset _startedAt = clock.GetUtcNow();

    /// <summary>The report as of now.</summary>
    public async Task<DispatcherStatus> CreateAsync(CancellationToken cancellationToken)
    {
        var (counts, error) = await taskCounts.ReadAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var workers = slots.Snapshot();
        var load = FleetLoad.Of(workers, slots.WaitingLine(), now);
        return new DispatcherStatus(
            options.Value.DispatcherId,
            options.Value.Strategy,
            readiness.IsReady,
            _startedAt,
            now,
            load.Waiting,
            Fleet(load, rates),
            [.. workers.OrderBy(w => w.Snapshot.WorkerId, StringComparer.Ordinal).Select(w => Worker(w, now))],
            Totals(metrics),
            counts,
            error,
            [.. costs.Snapshot().Select(c => new JobCostStatus(c.JobType, c.ExpectedCostMs is { } ms ? Math.Round(ms, 1) : null, c.Observations, c.MsPerPayloadChar is { } slope ? Math.Round(slope, 4) : null))]);
    }

    /// <summary><c>live</c>, <c>suspect</c> or <c>draining</c> (lost workers have left the view).</summary>
    public static string Health(WorkerView worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        return worker.Snapshot.IsDraining ? WorkerHealth.Draining : worker.IsAlive ? WorkerHealth.Live : WorkerHealth.Suspect;
    }

    private static FleetStatus Fleet(FleetLoad load, TaskRates rates) => new(
        load.Capacity,
        load.Running,
        load.Waiting,
        Round(load.Utilization),
        load.OldestWaitingAge is { } age ? Math.Round(age.TotalMilliseconds) : null,
        Math.Round(rates.ArrivalsPerSecond, 3),
        Math.Round(rates.CompletionsPerSecond, 3),
        Round(load.ResourceLoadMean),
        Round(load.ResourceLoadMax));

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 3) : null;

    private static WorkerStatus Worker(WorkerView w, DateTimeOffset now) => new(
        w.Snapshot.WorkerId,
        Health(w),
        w.Snapshot.Weight,
        w.Snapshot.Capacity,
        w.EstimatedLoad,
        w.Snapshot.ReportedLoad,
        Math.Round(w.Snapshot.EwmaTaskDurationMs, 1),
        Math.Round((now - w.Snapshot.LastSeen).TotalMilliseconds),
        [.. w.Snapshot.JobTypes.Order(StringComparer.Ordinal)],
        [.. w.Snapshot.Capabilities.Order(StringComparer.Ordinal)],
        Round(w.Snapshot.HostCpuUtilization),
        Round(w.Snapshot.HostMemoryUtilization),
        Round(w.Snapshot.ResourceLoad),
        w.Snapshot.Gpus);

    private static DispatchTotals Totals(DispatcherMetrics metrics)
    {
        var finished = metrics.Finished;
        var failedByKind = finished.Where(f => f.Key.Outcome == TaskOutcome.Failed)
            .ToDictionary(f => f.Key.ErrorKind, f => f.Value, StringComparer.Ordinal);
        return new DispatchTotals(
            metrics.AttemptsDispatched,
            finished.Where(f => f.Key.Outcome == TaskOutcome.Succeeded).Sum(f => f.Value),
            failedByKind.Values.Sum(),
            failedByKind,
            metrics.RetriesScheduled,
            metrics.TasksRescued);
    }
}
