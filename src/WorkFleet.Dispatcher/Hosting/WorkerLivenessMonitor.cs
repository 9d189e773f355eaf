using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Observability;
using WorkFleet.Dispatcher.Persistence;

namespace WorkFleet.Dispatcher.Hosting;

/// <summary>
/// Declares workers Lost (silent for <see cref="DispatcherOptions.LostTimeout"/>) or Left (announced
/// Stopped) and rescues what they held: their open attempts go back to Pending, due now, and are
/// dispatched elsewhere as the next attempt; then their queue is deleted. Suspect workers (silent past
/// <see cref="DispatcherOptions.LivenessTimeout"/>) only stop receiving new tasks; that is FleetView's rule.
/// </summary>
public sealed class WorkerLivenessMonitor(
    SlotAllocator slots,
    FleetDepartures departures,
    TaskStore tasks,
    DispatcherMetrics metrics,
    WorkerQueueJanitor janitor,
    WorkerSends sends,
    DispatcherReadiness readiness,
    IOptions<DispatcherOptions> options,
    TimeProvider clock,
    ILogger<WorkerLivenessMonitor> logger) : BackgroundService
{
    /// <summary>Results sent just before a Stopped heartbeat travel on another queue; give them this long to land.</summary>
    private static readonly TimeSpan DepartureSettleTime = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await readiness.WaitAsync(stoppingToken);

            // After a (re)start, workers loaded from the store get one full LostTimeout to be heard from
            // before anyone is declared lost: their heartbeats were simply not being received.
            var startedAt = clock.GetUtcNow();
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = clock.GetUtcNow();
                if (now - startedAt >= options.Value.LostTimeout)
                {
                    await CheckAsync(now, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    private async Task CheckAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var worker in slots.Snapshot())
        {
            var id = worker.Snapshot.WorkerId;
            var silence = now - worker.Snapshot.LastSeen;
            var leftAt = departures.LeftAt(id);
            string? reason = leftAt is { } left && now - left >= DepartureSettleTime ? "worker stopped (drained)"
                : silence > options.Value.LostTimeout ? $"worker lost: no heartbeat for {silence.TotalSeconds:F0} s"
                : null;
            if (reason is null)
            {
                continue;
            }

            try
            {
                var rescued = await tasks.RescueAsync(id, reason, now.UtcDateTime, cancellationToken);
                metrics.TasksTakenBack(rescued);
                slots.Remove(id);
                departures.Forget(id);
                sends.Forget(id);
                logger.LogWarning("Worker {WorkerId}: {Reason}; {Rescued} unfinished tasks dispatched again elsewhere", id, reason, rescued);
                await janitor.DeleteQueueAsync(id, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("Could not rescue the tasks of worker {WorkerId} ({Reason}): {Error}; will retry", id, reason, ex.Message);
            }
        }
    }
}
