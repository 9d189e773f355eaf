using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Messaging;
using WorkFleet.Messaging.Configuration;
using WorkFleet.Messaging.Hosting;

namespace WorkFleet.Dispatcher.Hosting;

/// <summary>Tells the other dispatchers, every <see cref="DispatcherOptions.PeerHeartbeatInterval"/>, that this one is up.</summary>
public sealed class DispatcherHeartbeatPublisher(
    IBus bus,
    IOptions<DispatcherOptions> options,
    TransportOptions transport,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<DispatcherHeartbeatPublisher> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        try
        {
            // The bus starts with the host; publishing before that would only wait.
            await lifetime.WhenStartedAsync(stoppingToken);
            using var timer = new PeriodicTimer(settings.PeerHeartbeatInterval, clock);
            do
            {
                try
                {
                    var heartbeat = new DispatcherHeartbeat { DispatcherId = settings.DispatcherId, SentAt = clock.GetUtcNow() };
                    await BrokerConfirmation.WithinAsync(transport.RabbitMq.ConfirmTimeout, token => bus.Publish(heartbeat, token), stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogDebug("Dispatcher heartbeat not published ({Error}); the next one follows in {Interval}", ex.Message, settings.PeerHeartbeatInterval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }
}
