using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkFleet.Contracts;

namespace WorkFleet.IntegrationTests.Security;

/// <summary>
/// A bus connected as one broker user that sends whatever a test tells it to, as a modified worker would: its
/// messages carry that user's validated user-id, like every WorkFleet host's.
/// </summary>
public sealed class ImpostorBus : IAsyncDisposable
{
    private static readonly Uri ResultsExchange = new($"exchange:{QueueNames.ResultsExchange}");
    private readonly IHost _host;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    private ImpostorBus(IHost host) => _host = host;

    private IBus Bus => _host.Services.GetRequiredService<IBus>();

    /// <summary>Connects as <paramref name="user"/>.</summary>
    public static async Task<ImpostorBus> StartAsync(RabbitMqEndpoint user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = "Test" });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(user.TransportSettings());
        builder.AddWorkFleetBus();
        var host = builder.Build();
        await host.StartAsync();
        return new ImpostorBus(host);
    }

    /// <summary>Publishes a heartbeat made by <paramref name="beat"/> (given the time) every 500 ms until disposed.</summary>
    public void BeatEvery500Ms(Func<DateTimeOffset, WorkerHeartbeat> beat)
    {
        _loops.Add(Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
            do
            {
                await Bus.Publish(beat(DateTimeOffset.UtcNow), _stop.Token);
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }));
    }

    /// <summary>Publishes one heartbeat.</summary>
    public Task PublishAsync(WorkerHeartbeat heartbeat) => Bus.Publish(heartbeat);

    /// <summary>Sends a result to the results exchange, as workers do.</summary>
    public async Task SendResultAsync<T>(T result)
        where T : class => await (await Bus.GetSendEndpoint(ResultsExchange)).Send(result);

    /// <summary>Stops the heartbeat loops and the bus.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var loop in _loops)
        {
            try
            {
                await loop;
            }
            catch (OperationCanceledException)
            {
            }
        }

        await _host.StopAsync();
        _host.Dispose();
        _stop.Dispose();
    }
}
