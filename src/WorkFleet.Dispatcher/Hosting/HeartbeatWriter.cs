using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Persistence;

namespace WorkFleet.Dispatcher.Hosting;

/// <summary>
/// Writes the latest heartbeat per worker to the <c>workers</c> table every flush interval, one batch per
/// pass, so a fleet of N workers beating once a second costs one small transaction per interval, not N.
/// A failed write keeps the batch for the next pass.
/// </summary>
public sealed class HeartbeatWriter(WorkerStore store, IOptions<DispatcherOptions> options, ILogger<HeartbeatWriter> logger) : BackgroundService
{
    private readonly Channel<ReceivedHeartbeat> _incoming = Channel.CreateBounded<ReceivedHeartbeat>(
        new BoundedChannelOptions(100_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    /// <summary>Queues a heartbeat for the next write.</summary>
    public void Enqueue(ReceivedHeartbeat heartbeat) => _incoming.Writer.TryWrite(heartbeat);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pending = new Dictionary<string, ReceivedHeartbeat>(StringComparer.Ordinal);
        using var timer = new PeriodicTimer(options.Value.HeartbeatFlushInterval);
        while (await WaitAsync(timer, stoppingToken))
        {
            await FlushAsync(pending, stoppingToken);
        }

        await FlushAsync(pending, CancellationToken.None);
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

    private async Task FlushAsync(Dictionary<string, ReceivedHeartbeat> pending, CancellationToken cancellationToken)
    {
        while (_incoming.Reader.TryRead(out var heartbeat))
        {
            var id = heartbeat.Heartbeat.WorkerId;
            if (!pending.TryGetValue(id, out var known) || known.ReceivedAt <= heartbeat.ReceivedAt)
            {
                pending[id] = heartbeat;
            }
        }

        if (pending.Count == 0)
        {
            return;
        }

        try
        {
            await store.UpsertAsync(pending.Values, cancellationToken);
            pending.Clear();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not store {Count} worker heartbeats; will retry on the next pass", pending.Count);
        }
    }
}
