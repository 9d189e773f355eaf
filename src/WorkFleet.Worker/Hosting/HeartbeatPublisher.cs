using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkFleet.Worker.Execution;

namespace WorkFleet.Worker.Hosting;

/// <summary>
/// Publishes the worker's heartbeat every interval, and once more at once when the host starts stopping
/// (announcing Draining, so the dispatcher sends nothing new while the worker finishes what it holds).
/// </summary>
public sealed class HeartbeatPublisher(
    WorkerRuntime runtime,
    IBus bus,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<HeartbeatPublisher> logger) : BackgroundService
{
    private TimeSpan _lastCpu;
    private long _lastTicks;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first beat goes out once every hosted service, the bus included, has started.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        using var process = Process.GetCurrentProcess();
        _lastCpu = process.TotalProcessorTime;
        _lastTicks = Stopwatch.GetTimestamp();
        using var drain = lifetime.ApplicationStopping.Register(() =>
        {
            runtime.BeginDrain();
            _ = PublishAsync(process, CancellationToken.None);
        });

        logger.LogInformation("Worker {WorkerId} started: weight {Weight}, capacity {Capacity}, jobs [{JobTypes}], queue {Queue}",
            runtime.WorkerId, runtime.Options.Weight, runtime.Options.Capacity, string.Join(", ", runtime.JobTypes), runtime.QueueName);
        using var timer = new PeriodicTimer(runtime.Options.HeartbeatInterval);
        do
        {
            await PublishAsync(process, stoppingToken);
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task PublishAsync(Process process, CancellationToken cancellationToken)
    {
        try
        {
            await bus.Publish(runtime.NextHeartbeat(clock.GetUtcNow(), SampleCpu(process), SampleMemory(process)), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The bus reconnects by itself; a missed beat only delays the dispatcher's view.
            logger.LogWarning("Worker {WorkerId} could not publish its heartbeat: {Error}", runtime.WorkerId, ex.Message);
        }
    }

    private double SampleCpu(Process process)
    {
        lock (process)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var ticks = Stopwatch.GetTimestamp();
            var wall = Stopwatch.GetElapsedTime(_lastTicks, ticks);
            var used = (cpu - _lastCpu).TotalMilliseconds / Math.Max(1, wall.TotalMilliseconds * Environment.ProcessorCount);
            _lastCpu = cpu;
            _lastTicks = ticks;
            return Math.Clamp(used, 0, 1);
        }
    }

    private static double SampleMemory(Process process)
    {
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return available <= 0 ? 0 : Math.Clamp((double)process.WorkingSet64 / available, 0, 1);
    }
}
