using System.Diagnostics;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkFleet.Worker.Execution;
using WorkFleet.Messaging.Hosting;
using WorkFleet.Worker.Resources;

namespace WorkFleet.Worker.Hosting;

/// <summary>
/// Publishes the worker's heartbeat every interval, and drains the worker when the host stops (SIGTERM,
/// compose scale-down): before the bus stops it announces Draining, so dispatchers send nothing new,
/// finishes what it holds within <c>DrainTimeout</c>, then announces Stopped so dispatchers dispatch
/// anything left elsewhere at once instead of waiting for the worker to be declared lost.
/// </summary>
public sealed class HeartbeatPublisher(
    WorkerRuntime runtime,
    HostResourceMonitor host,
    IBus bus,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<HeartbeatPublisher> logger) : BackgroundService, IHostedLifecycleService
{
    /// <summary>How long a periodic beat may take to publish; a stale beat is worth nothing, the next one follows.</summary>
    private static readonly TimeSpan BeatTimeout = TimeSpan.FromSeconds(3);

    /// <summary>How long the Draining and Stopped announcements may take to publish while the host stops.</summary>
    private static readonly TimeSpan AnnouncementTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process = Process.GetCurrentProcess();
    private TimeSpan _lastCpu;
    private long _lastTicks;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first beat goes out once every hosted service, the bus included, has started.
        await lifetime.WhenStartedAsync(stoppingToken);

        _lastCpu = _process.TotalProcessorTime;
        _lastTicks = Stopwatch.GetTimestamp();

        logger.LogInformation("Worker {WorkerId} started: weight {Weight}, capacity {Capacity}, jobs [{JobTypes}], queue {Queue}",
            runtime.WorkerId, runtime.Options.Weight, runtime.Options.Capacity, string.Join(", ", runtime.JobTypes), runtime.QueueName);
        using var timer = new PeriodicTimer(runtime.Options.HeartbeatInterval);
        do
        {
            await PublishAsync(BeatTimeout, stoppingToken);
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

    /// <inheritdoc />
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        runtime.BeginDrain();
        await PublishAsync(AnnouncementTimeout, CancellationToken.None);
        var drain = Stopwatch.StartNew();
        var timeout = runtime.Options.DrainTimeout;

        // Let dispatchers see Draining, and sends already on their way arrive, before judging "empty".
        var settle = runtime.Options.HeartbeatInterval < TimeSpan.FromSeconds(1) ? runtime.Options.HeartbeatInterval : TimeSpan.FromSeconds(1);
        while (drain.Elapsed < timeout && (drain.Elapsed < settle || runtime.Held > 0))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        }

        if (runtime.Held > 0)
        {
            logger.LogWarning("Worker {WorkerId} drain timeout {Timeout} reached with {Held} tasks held; they will be dispatched elsewhere", runtime.WorkerId, timeout, runtime.Held);
        }
        else
        {
            logger.LogInformation("Worker {WorkerId} drained in {Elapsed:F1} s", runtime.WorkerId, drain.Elapsed.TotalSeconds);
        }

        runtime.MarkStopped();
        await PublishAsync(AnnouncementTimeout, CancellationToken.None);
    }

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public override void Dispose()
    {
        _process.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// Publishes one heartbeat, giving up after <paramref name="timeout"/>: while the broker is away MassTransit
    /// retries a publish with a back-off that grows to 30 s, and a beat still waiting in it would hold back the
    /// fresh ones after the broker is back (the dispatcher would see this worker as lost for that long).
    /// </summary>
    private async Task PublishAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await bus.Publish(runtime.NextHeartbeat(clock.GetUtcNow(), SampleCpu(_process), SampleMemory(_process), host.Read()), limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Worker {WorkerId} could not publish its heartbeat within {Timeout} s; the next one follows", runtime.WorkerId, timeout.TotalSeconds);
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
