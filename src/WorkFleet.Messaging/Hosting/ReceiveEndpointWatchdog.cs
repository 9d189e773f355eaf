using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Messaging.Configuration;

namespace WorkFleet.Dispatcher.Hosting;

/// <summary>
/// Checks from the broker's side that this dispatcher still consumes: its own heartbeat queue exists only
/// while its consumer is connected (it is deleted with the last one). After a broker restart MassTransit
/// 8.4 with RabbitMQ.Client 7.1 can leave receive endpoints that were idle when the connection dropped
/// attached to the dead connection for good (seen when the submit endpoint held many deliveries: the
/// connection's shutdown times out before those endpoints are told), and a bus cannot be restarted in
/// process. When the broker is reachable but the queue has been missing for
/// <see cref="DispatcherOptions.EndpointRecoveryTimeout"/>, the dispatcher stops with exit code
/// <see cref="ExitCode"/> for its supervisor (compose restart policy, Kubernetes) to start it again, which
/// is safe: its state is in the store and in durable queues.
/// </summary>
public sealed class ReceiveEndpointWatchdog(
    TransportOptions transport,
    IOptions<DispatcherOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<ReceiveEndpointWatchdog> logger) : BackgroundService
{
    /// <summary>The process exit code when the receive endpoints did not recover (EX_TEMPFAIL: try again).</summary>
    public const int ExitCode = 75;

    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ForcedExitAfter = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (transport.Kind != TransportKind.RabbitMq)
        {
            return;
        }

        var queue = $"{QueueNames.Heartbeats}.{options.Value.DispatcherId}";
        DateTimeOffset? missingSince = null;
        try
        {
            await WaitForStartAsync(stoppingToken);
            using var timer = new PeriodicTimer(CheckInterval);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var exists = await QueueExistsAsync(queue, stoppingToken);
                var now = clock.GetUtcNow();
                if (exists != false)
                {
                    missingSince = null; // consuming, or the broker is unreachable (the bus is still reconnecting)
                    continue;
                }

                missingSince ??= now;
                if (now - missingSince.Value >= options.Value.EndpointRecoveryTimeout)
                {
                    logger.LogCritical(
                        "The broker is reachable but this dispatcher has not consumed from {Queue} for {Seconds:F0} s: its receive endpoints did not recover from a lost connection. Stopping with exit code {ExitCode} to be restarted",
                        queue, (now - missingSince.Value).TotalSeconds, ExitCode);
                    Environment.ExitCode = ExitCode;
                    lifetime.StopApplication();

                    // A bus stuck on a dead connection may not stop gracefully; nothing is lost by ending at once
                    // (unacknowledged messages return to their queues, the store holds the rest).
                    await Task.Delay(ForcedExitAfter, CancellationToken.None);
                    Environment.Exit(ExitCode);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    private async Task WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }
    }

    /// <summary>True or false from the broker; null when the broker could not be asked.</summary>
    private async Task<bool?> QueueExistsAsync(string queue, CancellationToken cancellationToken)
    {
        var rabbit = transport.RabbitMq;
        var factory = new ConnectionFactory
        {
            HostName = rabbit.Host,
            Port = rabbit.Port,
            VirtualHost = rabbit.VirtualHost,
            UserName = rabbit.Username,
            Password = rabbit.Password,
            ClientProvidedName = "workfleet-dispatcher-watchdog",
            RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
        };
        try
        {
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            try
            {
                await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
                return true;
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
