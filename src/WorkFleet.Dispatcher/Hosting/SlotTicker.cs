using Microsoft.Extensions.Hosting;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dispatcher.Hosting;

/// <summary>Re-evaluates waiting tasks every second, so expiring liveness and grace periods take effect without an event.</summary>
public sealed class SlotTicker(SlotAllocator slots) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
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
