using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkFleet.Client;
using WorkFleet.Contracts;

namespace WorkFleet.ChaosTests.Harness;

/// <summary>
/// A producer: an in-process client host (the same <c>AddWorkFleetClient</c> as a real producer) that
/// sends tasks to <c>workfleet.submit</c>. It does not listen for <c>TaskFinished</c>: the chaos tests
/// judge outcomes from PostgreSQL only, since a restarted dispatcher may publish an outcome twice.
/// </summary>
public sealed class TaskSubmitter : IAsyncDisposable
{
    private readonly IHost _host;

    private TaskSubmitter(IHost host) => _host = host;

    /// <summary>The producer SDK.</summary>
    public WorkFleetClient Client => _host.Services.GetRequiredService<WorkFleetClient>();

    /// <summary>Starts the client host on <paramref name="rabbit"/>, a producer's user (returns once its bus is connected).</summary>
    public static async Task<TaskSubmitter> StartAsync(RabbitMqEndpoint rabbit)
    {
        ArgumentNullException.ThrowIfNull(rabbit);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], EnvironmentName = "Test" });
        builder.Logging.ClearProviders();
        var settings = rabbit.TransportSettings();
        settings["WorkFleet:Client:ListenForResults"] = "false";
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddWorkFleetClient();
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new TaskSubmitter(host);
    }

    /// <summary>
    /// Builds <paramref name="count"/> tasks with <paramref name="create"/> (task <c>i</c>, made with the
    /// client's <see cref="WorkFleetClient.CreateTask"/>) and sends them all; returns them once the broker
    /// has confirmed them.
    /// </summary>
    public async Task<IReadOnlyList<SubmitTask>> SubmitAsync(int count, Func<WorkFleetClient, int, SubmitTask> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        var client = Client;
        var tasks = Enumerable.Range(0, count).Select(i => create(client, i)).ToList();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await client.SubmitManyAsync(tasks, deadline.Token);
        return tasks;
    }

    /// <summary>Stops the client host.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await _host.StopAsync(timeout.Token);
        }
        finally
        {
            _host.Dispose();
        }
    }
}
