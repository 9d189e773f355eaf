using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WorkFleet.Contracts;
using WorkFleet.Messaging.Security;
using WorkFleet.ThroughputBench.Servers;

namespace WorkFleet.ThroughputBench.Roles;

/// <summary>
/// Publishes <see cref="WorkerHeartbeat"/> for many fake workers, each once a second, spread evenly over the second
/// (ten slices of 100 ms), filled as a worker host's heartbeat publisher fills it: idle, capacity 4, every
/// built-in job type.
/// </summary>
public static class HeartbeatSimulatorRole
{
    /// <summary>Start of the line the simulator prints after each second: the heartbeats published so far.</summary>
    public const string PublishedLine = "published ";

    private const int SlicesPerSecond = 10;
    private static readonly string[] JobTypes = ["compute.matmul", "inference.mlp", "preprocess.normalize", "preprocess.resize", "preprocess.tokenize"];

    /// <summary>
    /// Runs the role: <c>heartbeats &lt;worker count&gt; &lt;id prefix&gt;</c>. The heartbeats carry the broker user in
    /// their AMQP <c>user-id</c>, as a worker host's do: the dispatcher refuses heartbeats without one
    /// (<c>WorkFleet:Dispatcher:Trust:RequireSenderIdentity</c>).
    /// </summary>
    public static Task RunAsync(int workers, string prefix) =>
        RoleHost.RunAsync(
            services => services.AddHostedService(provider => new Publisher(provider.GetRequiredService<IBus>(), workers, prefix)),
            (_, bus) => SenderIdentity.StampOutgoing(bus, RabbitMqAddress.FromEnvironment().Username));

    private sealed class Publisher(IBus bus, int workers, string prefix) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            var startedAt = DateTimeOffset.UtcNow;
            var sequence = 0L;
            var published = 0L;
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / SlicesPerSecond));
            for (var slice = 0; await timer.WaitForNextTickAsync(stoppingToken); slice = (slice + 1) % SlicesPerSecond)
            {
                if (slice == 0)
                {
                    Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{PublishedLine}{published}"));
                    sequence++;
                }

                var now = DateTimeOffset.UtcNow;
                var beats = Enumerable.Range(0, workers).Where(i => i % SlicesPerSecond == slice).Select(i => Beat(i, sequence, startedAt, now));
                var sends = beats.Select(beat => bus.Publish(beat, stoppingToken)).ToList();
                await Task.WhenAll(sends);
                published += sends.Count;
            }
        }

        private WorkerHeartbeat Beat(int index, long sequence, DateTimeOffset startedAt, DateTimeOffset now)
        {
            var id = $"{prefix}-{index:D5}";
            return new WorkerHeartbeat
            {
                WorkerId = id,
                QueueName = QueueNames.ForWorker(id),
                Weight = 1,
                Capacity = 4,
                CpuUtilization = 0.02,
                MemoryUtilization = 0.01,
                JobTypes = JobTypes,
                State = WorkerState.Active,
                Sequence = sequence,
                StartedAt = startedAt,
                SentAt = now,
            };
        }
    }
}
