using Microsoft.Extensions.Hosting;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dispatcher.Hosting;

/// <summary>
/// Re-evaluates waiting tasks every <see cref="SlotAllocator.TickInterval"/> (1 s; 200 ms with cost-aware), so expiring
/// liveness, grace periods and due times take effect without an event.
/// </summary>
public sealed class SlotTicker(SlotAllocator slots) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(slots.TickInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                slots.Tick();
            }
        }
        catch (OperationCanceledException)
        {
            // Host stopping.
        }
    }
}
