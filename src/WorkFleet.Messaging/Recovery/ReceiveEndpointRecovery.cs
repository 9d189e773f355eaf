using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkFleet.Messaging.Configuration;
using WorkFleet.Messaging.Hosting;

namespace WorkFleet.Messaging.Recovery;

/// <summary>
/// Brings the bus's receive endpoints back after a lost broker connection, in process. MassTransit reconnects
/// them by itself, but its back-off between attempts grows to 30 s, so a fleet could stand idle for that long
/// after the broker is back. Every second this looks at the bus's endpoint health; when an endpoint is down and
/// the broker has accepted connections for <see cref="WorkFleet.Messaging.Configuration.RabbitMqTransportOptions.EndpointRestartDelay"/>, it
/// stops and starts that endpoint (as MassTransit's kill switch does), which connects at once. The
/// <c>ReceiveEndpointWatchdog</c> stays as the last resort for an endpoint that still does not come back.
/// </summary>
public sealed class ReceiveEndpointRecovery(
    IBusControl bus,
    TransportOptions transport,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<ReceiveEndpointRecovery> logger) : BackgroundService
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Cooldown = TimeSpan.FromSeconds(10);

    private readonly EndpointDowntime _downtime = new();
    private readonly BrokerProbe _probe = new(transport);
    private DateTimeOffset? _brokerUpSince;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (transport.Kind != TransportKind.RabbitMq)
        {
            return;
        }

        var policy = new EndpointRestartPolicy(transport.RabbitMq.EndpointRestartDelay, Cooldown);
        try
        {
            await lifetime.WhenStartedAsync(stoppingToken);
            using var timer = new PeriodicTimer(CheckInterval, clock);
            while (await timer.WaitForNextTickAsync(stoppingToken) && !lifetime.ApplicationStopping.IsCancellationRequested)
            {
                await CheckAsync(policy, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    private async Task CheckAsync(EndpointRestartPolicy policy, CancellationToken stoppingToken)
    {
        var now = clock.GetUtcNow();
        var down = new List<(IReceiveEndpoint Endpoint, DateTimeOffset Since)>();
        foreach (var (address, health) in bus.CheckHealth().Endpoints)
        {
            var wasDownSince = _downtime.DownSince(address);
            var since = _downtime.Observe(address, health.Status == BusHealthStatus.Healthy, now);
            if (since is { } downSince)
            {
                down.Add((health.ReceiveEndpoint, downSince));
            }
            else if (wasDownSince is { } wasDown)
            {
                logger.LogInformation(
                    "Receive endpoint {InputAddress} consumes again after {Seconds:F1} s down ({BrokerSeconds:F1} s after this process saw the broker accept connections)",
                    address, (now - wasDown).TotalSeconds, _brokerUpSince is { } up ? (now - up).TotalSeconds : double.NaN);
            }
        }

        if (down.Count == 0)
        {
            _brokerUpSince = null;
            return;
        }

        if (await _probe.AcceptsConnectionsAsync(stoppingToken))
        {
            _brokerUpSince ??= now;
        }
        else
        {
            _brokerUpSince = null;
            return;
        }

        foreach (var (endpoint, since) in down)
        {
            var address = endpoint.InputAddress.ToString();
            if (!policy.ShouldRestart(now, since, _brokerUpSince, _downtime.LastRestart(address)) || lifetime.ApplicationStopping.IsCancellationRequested)
            {
                continue;
            }

            _downtime.Restarted(address, now);
            await RestartAsync(endpoint, now - since, stoppingToken);
        }
    }

    private async Task RestartAsync(IReceiveEndpoint endpoint, TimeSpan downFor, CancellationToken stoppingToken)
    {
        logger.LogWarning(
            "Receive endpoint {InputAddress} has been down for {Seconds:F1} s while the broker accepts connections; restarting it in process",
            endpoint.InputAddress, downFor.TotalSeconds);
        using var stopWait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        stopWait.CancelAfter(transport.RabbitMq.DeliveryStopTimeout + TimeSpan.FromSeconds(5));
        try
        {
            await endpoint.Stop(stopWait.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogWarning("Receive endpoint {InputAddress} did not stop in time; trying again later", endpoint.InputAddress);
            return;
        }

        try
        {
            // Not awaited until ready: the next checks see it come up, or restart it again after the cool-down.
            endpoint.Start(CancellationToken.None);
        }
        catch (InvalidOperationException ex)
        {
            logger.LogWarning("Receive endpoint {InputAddress} could not be started again: {Error}", endpoint.InputAddress, ex.Message);
        }
    }
}
