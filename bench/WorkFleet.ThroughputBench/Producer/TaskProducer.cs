using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkFleet.Contracts;
using WorkFleet.Messaging.Submitting;
using WorkFleet.ThroughputBench.Servers;

namespace WorkFleet.ThroughputBench.Producer;

/// <summary>
/// The bench's producer, in the bench process, the same for both pipelines: sends <see cref="SubmitTask"/> to a
/// submit queue (to WorkFleet packed as <c>WorkFleetClient.SubmitManyAsync</c> does, to the raw pipelines one message
/// per task, 256 at a time) and counts the
/// <see cref="TaskFinished"/> events on its own temporary reply queue: the dispatcher sends them there (the queue is
/// named, and the sends stamped with the broker user, as <c>WorkFleetClient</c> does), the raw pipeline publishes them.
/// </summary>
public sealed class TaskProducer : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly Board _board;
    private readonly Uri _replyAddress;

    private TaskProducer(IHost host, Uri replyAddress)
    {
        _host = host;
        _board = host.Services.GetRequiredService<Board>();
        _replyAddress = replyAddress;
    }

    /// <summary>Connects to the broker.</summary>
    public static async Task<TaskProducer> StartAsync(RabbitMqAddress broker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broker);
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        // stdout is the report's; the producer's warnings (e.g. the broker closing at the end) go to stderr.
        builder.Logging.ClearProviders().AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSingleton<Board>();
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o => o.WaitUntilStarted = true);
        Uri? replyAddress = null;
        builder.Services.AddMassTransit(x =>
        {
            x.DisableUsageTelemetry();
            x.UsingRabbitMq((context, bus) =>
            {
                broker.Configure(bus);
                bus.ConfigureSend(send => send.UseExecute(c =>
                {
                    if (c.TryGetPayload<RabbitMqSendContext>(out var rabbit))
                    {
                        rabbit.BasicProperties.UserId = broker.Username;
                    }
                }));
                bus.ReceiveEndpoint($"{QueueNames.ClientPrefixFor(broker.Username)}bench-{Guid.NewGuid().ToString("N")[..8]}", e =>
                {
                    e.Durable = false;
                    e.AutoDelete = true;
                    e.PrefetchCount = 256;

                    // Read only after the queue's settings: the address is made from them and fixes them.
                    replyAddress = e.InputAddress;
                    e.Consumer(() => new FinishedConsumer(context.GetRequiredService<Board>()));
                });
            });
        });
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new TaskProducer(host, replyAddress ?? throw new InvalidOperationException("The producer's reply queue was not configured."));
    }

    /// <summary>New bench tasks.</summary>
    public static List<SubmitTask> CreateTasks(int count) =>
        [.. Enumerable.Range(0, count).Select(_ => new SubmitTask
        {
            TaskId = Guid.NewGuid(),
            JobType = BenchPayload.JobType,
            Payload = BenchPayload.Input,
            SubmittedAt = DateTimeOffset.UtcNow,
        })];

    /// <summary>Starts counting the outcomes of <paramref name="tasks"/> (replacing the previous count).</summary>
    public FinishedCounter Expect(IEnumerable<SubmitTask> tasks)
    {
        var counter = new FinishedCounter(tasks.Select(t => t.TaskId));
        _board.Current = counter;
        return counter;
    }

    /// <summary>
    /// Sends <paramref name="tasks"/> to <paramref name="submitQueue"/>: <paramref name="packed"/> into
    /// <see cref="SubmitTaskBatch"/> messages and asking for outcomes in batches (<see cref="ProducerHeaders.OutcomeBatches"/>),
    /// as <c>WorkFleetClient</c> does; else one message per task (256 sent at once), outcomes one by one.
    /// </summary>
    public async Task SubmitAsync(string submitQueue, IReadOnlyList<SubmitTask> tasks, bool packed, CancellationToken cancellationToken)
    {
        var endpoint = await _host.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"queue:{submitQueue}"));
        if (packed)
        {
            await endpoint.SendPackedAsync(
                tasks,
                context =>
                {
                    context.ResponseAddress = _replyAddress;
                    context.Headers.Set(ProducerHeaders.OutcomeBatches, "true");
                },
                new WorkFleet.Messaging.Configuration.RabbitMqTransportOptions().ConfirmTimeout,
                cancellationToken);
            return;
        }

        foreach (var batch in tasks.Chunk(256))
        {
            await endpoint.SendBatch(batch, c => c.ResponseAddress = _replyAddress, cancellationToken);
        }
    }

    /// <summary>Stops the bus.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }

    private sealed class Board
    {
        public volatile FinishedCounter? Current;
    }

    private sealed class FinishedConsumer(Board board) : IConsumer<TaskFinished>, IConsumer<TaskFinishedBatch>
    {
        public Task Consume(ConsumeContext<TaskFinished> context)
        {
            board.Current?.Post(context.Message.TaskId);
            return Task.CompletedTask;
        }

        public Task Consume(ConsumeContext<TaskFinishedBatch> context)
        {
            foreach (var outcome in context.Message.Outcomes)
            {
                board.Current?.Post(outcome.TaskId);
            }

            return Task.CompletedTask;
        }
    }
}
