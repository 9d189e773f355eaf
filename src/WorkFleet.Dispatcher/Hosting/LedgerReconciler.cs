using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Persistence;

namespace WorkFleet.Dispatcher.Hosting;

/// <summary>
/// Every <see cref="DispatcherOptions.LedgerReconcileInterval"/>, drops from the ledger the attempts other
/// dispatchers reported that the store no longer holds open: their end broadcast was lost, e.g. because
/// the dispatcher that stored the result stopped before publishing it. Without this, such a slot would
/// look taken until this dispatcher restarts.
/// </summary>
public sealed class LedgerReconciler(
    SlotAllocator slots,
    TaskStore tasks,
    IOptions<DispatcherOptions> options,
    TimeProvider clock,
    ILogger<LedgerReconciler> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.LedgerReconcileInterval;
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await ReconcileOnceAsync(interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    private async Task ReconcileOnceAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        // Only attempts observed a whole interval ago: a younger one may not be stored yet.
        var observedBefore = clock.GetUtcNow() - interval;
        try
        {
            var outstanding = await tasks.LoadOutstandingAsync(cancellationToken);
            var dropped = slots.Reconcile(outstanding.Select(o => o.Key).ToHashSet(), observedBefore);
            if (dropped > 0)
            {
                logger.LogInformation("Dropped {Count} attempt(s) other dispatchers reported whose end never arrived; the store has them finished", dropped);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Ledger reconciliation failed (database unavailable?); retrying in {Interval}", interval);
        }
    }
}
