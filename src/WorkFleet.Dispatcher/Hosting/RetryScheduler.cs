using System.Collections.Concurrent;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Persistence;

namespace WorkFleet.Dispatcher.Hosting;

/// <summary>
/// Dispatches tasks that wait in the store for another attempt (retries after backoff, rescues from lost
/// workers) once they are due. The store is the durable record here, so a restarted dispatcher picks up
/// exactly where the previous one stopped; several dispatchers may scan at once because recording an
/// attempt is conditional and only one of them wins.
/// </summary>
public sealed class RetryScheduler(
    TaskStore tasks,
    TaskDispatcher dispatcher,
    DispatcherReadiness readiness,
    IBus bus,
    TimeProvider clock,
    ILogger<RetryScheduler> logger) : BackgroundService
{
    private const int MaxInFlight = 256;
    private readonly ConcurrentDictionary<Guid, byte> _inFlight = new();

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await readiness.WaitAsync(stoppingToken);
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await ScanAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping; undispatched tasks stay due in the store.
        }
    }

    private async Task ScanAsync(CancellationToken stoppingToken)
    {
        var room = MaxInFlight - _inFlight.Count;
        if (room <= 0)
        {
            return;
        }

        try
        {
            foreach (var task in await tasks.LoadDueAsync(clock.GetUtcNow().UtcDateTime, room, stoppingToken))
            {
                if (_inFlight.TryAdd(task.Id, 0))
                {
                    _ = DispatchAsync(task, stoppingToken);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Could not scan for tasks due another attempt: {Error}; retrying shortly", ex.Message);
        }
    }

    private async Task DispatchAsync(Data.Entities.TaskRecord task, CancellationToken stoppingToken)
    {
        try
        {
            using var payload = JsonDocument.Parse(task.Payload);
            await dispatcher.DispatchAsync(task, payload.RootElement.Clone(), bus, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Retry of task {TaskId} (attempt {Attempt}) could not be dispatched: {Error}; it stays due", task.Id, task.Attempt + 1, ex.Message);
        }
        catch (OperationCanceledException)
        {
            // Host stopping.
        }
        finally
        {
            _inFlight.TryRemove(task.Id, out _);
        }
    }
}
