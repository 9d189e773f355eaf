using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using WorkFleet.Messaging.Configuration;

namespace WorkFleet.Messaging.Hosting;

/// <summary>
/// The last resort behind <see cref="Recovery.ReceiveEndpointRecovery"/>: checks from the broker's side that this
/// process still consumes (the watched queue must exist and have a consumer). With MassTransit 8.5 the receive
/// endpoints come back in process after a broker restart (restarted by <c>ReceiveEndpointRecovery</c> a couple of
/// seconds after the broker accepts connections again); MassTransit 8.4 could leave an endpoint attached to the
/// dead connection for good, and an endpoint could still end up in a state that neither MassTransit nor the
/// in-process recovery sees as down. When the broker is reachable but the queue has had no consumer for
/// <see cref="WatchedQueue.RecoveryTimeout"/>, the process stops with exit code <see cref="ExitCode"/> for its
/// supervisor (compose restart policy, Kubernetes) to start it again, which is safe: state is in the store and in
/// durable queues, and unacknowledged deliveries return to their queues.
/// </summary>
public sealed class ReceiveEndpointWatchdog(
    WatchedQueue watched,
    TransportOptions transport,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<ReceiveEndpointWatchdog> logger) : BackgroundService
{
    /// <summary>The process exit code when the receive endpoints did not recover (EX_TEMPFAIL: try again).</summary>
    public const int ExitCode = 75;

    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ForcedExitAfter = TimeSpan.FromSeconds(10);

    /// <summary>
    /// What is done once the endpoints are found dead, given <see cref="ExitCode"/>. By default: set the process's
    /// exit code, stop the host, and if it has not ended 10 s later exit at once (a bus stuck on a dead connection
    /// may not stop gracefully; nothing is lost by ending). Tests replace it.
    /// </summary>
    public Func<int, Task> Stop { get; set; } = async code =>
    {
        Environment.ExitCode = code;
        lifetime.StopApplication();
        await Task.Delay(ForcedExitAfter, CancellationToken.None);
        Environment.Exit(code);
    };

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(watched);
        if (transport.Kind != TransportKind.RabbitMq)
        {
            return;
        }

        DateTimeOffset? missingSince = null;
        try
        {
            await lifetime.WhenStartedAsync(stoppingToken);
            using var timer = new PeriodicTimer(CheckInterval);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var consumed = await IsConsumedAsync(watched.Queue, stoppingToken);
                var now = clock.GetUtcNow();
                if (consumed != false)
                {
                    missingSince = null; // consuming, or the broker is unreachable (the bus is still reconnecting)
                    continue;
                }

                missingSince ??= now;
                if (now - missingSince.Value >= watched.RecoveryTimeout)
                {
                    logger.LogCritical(
                        "The broker is reachable but {Role} has not consumed from {Queue} for {Seconds:F0} s: its receive endpoints did not recover from a lost connection, not even in process. Stopping with exit code {ExitCode} to be restarted (last resort)",
                        watched.Role, watched.Queue, (now - missingSince.Value).TotalSeconds, ExitCode);
                    await Stop(ExitCode);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    /// <summary>True when the queue exists and has a consumer, false when not; null when the broker could not be asked.</summary>
    private async Task<bool?> IsConsumedAsync(string queue, CancellationToken cancellationToken)
    {
        var factory = transport.RabbitMq.CreateFactory("workfleet-watchdog");
        factory.RequestedConnectionTimeout = TimeSpan.FromSeconds(5);
        try
        {
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            try
            {
                var declared = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
                return declared.ConsumerCount > 0;
            }
            catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
            {
                return false;
            }
        }
        catch (Exception ex) when (ex is BrokerUnreachableException or OperationInterruptedException or AlreadyClosedException or IOException or TimeoutException)
        {
            return null;
        }
    }
}
