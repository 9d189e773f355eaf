using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using WorkFleet.Messaging.Configuration;
using WorkFleet.Messaging.Hosting;

namespace WorkFleet.IntegrationTests;

/// <summary>
/// The watchdog that stops a dispatcher or worker whose receive endpoints did not come back after a broker
/// restart: against a real broker, it stops the process only when the watched queue has no consumer.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class ReceiveEndpointWatchdogTests(InfrastructureFixture infrastructure)
{
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task QueueWithoutConsumer_BrokerReachable_StopsWithExitCode75()
    {
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("watch"));
        await using var connection = await rabbit.CreateConnectionFactory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync("workfleet.worker.stuck", durable: true, exclusive: false, autoDelete: false);

        var stoppedWith = await WatchAsync(rabbit, "workfleet.worker.stuck", TimeSpan.FromSeconds(30));

        Assert.Equal(ReceiveEndpointWatchdog.ExitCode, stoppedWith);
    }

    [Fact]
    public async Task QueueMissing_BrokerReachable_StopsWithExitCode75()
    {
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("watch"));

        var stoppedWith = await WatchAsync(rabbit, "workfleet.heartbeats.gone", TimeSpan.FromSeconds(30));

        Assert.Equal(ReceiveEndpointWatchdog.ExitCode, stoppedWith);
    }

    [Fact]
    public async Task QueueWithConsumer_NeverStops()
    {
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("watch"));
        await using var connection = await rabbit.CreateConnectionFactory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync("workfleet.worker.alive", durable: true, exclusive: false, autoDelete: false);
        await channel.BasicConsumeAsync("workfleet.worker.alive", autoAck: false, new AsyncEventingBasicConsumer(channel));

        // Five checks (every 2 s) with the consumer attached, each one past the 1 s recovery timeout.
        var stoppedWith = await WatchAsync(rabbit, "workfleet.worker.alive", TimeSpan.FromSeconds(10));

        Assert.Null(stoppedWith);
    }

    /// <summary>Runs a watchdog on <paramref name="queue"/> for up to <paramref name="duration"/>; returns the exit code it stopped with, if it did.</summary>
    private static async Task<int?> WatchAsync(RabbitMqEndpoint rabbit, string queue, TimeSpan duration)
    {
        var transport = new TransportOptions
        {
            Kind = TransportKind.RabbitMq,
            RabbitMq = new RabbitMqTransportOptions { Host = rabbit.Host, Port = rabbit.Port, VirtualHost = rabbit.VirtualHost, Username = rabbit.Username, Password = rabbit.Password },
        };
        var lifetime = new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance);
        var stopped = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watchdog = new ReceiveEndpointWatchdog(
            new WatchedQueue(queue, "worker under test", RecoveryTimeout), transport, lifetime, TimeProvider.System, NullLogger<ReceiveEndpointWatchdog>.Instance)
        {
            Stop = code =>
            {
                stopped.TrySetResult(code);
                return Task.CompletedTask;
            },
        };

        await watchdog.StartAsync(CancellationToken.None);
        lifetime.NotifyStarted();
        var finished = await Task.WhenAny(stopped.Task, Task.Delay(duration));
        await watchdog.StopAsync(CancellationToken.None);
        return finished == stopped.Task ? await stopped.Task : null;
    }
}
