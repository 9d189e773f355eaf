using WorkFleet.ThroughputBench.Cpu;
using WorkFleet.ThroughputBench.Fleets;
using WorkFleet.ThroughputBench.Producer;
using WorkFleet.ThroughputBench.Servers;

namespace WorkFleet.ThroughputBench.Modes;

/// <summary>What every mode shares: the arguments, the servers, their containers' CPU counters and the producer.</summary>
/// <param name="Arguments">The command line.</param>
/// <param name="Servers">Broker and database.</param>
/// <param name="RabbitMqCpu">The broker container's CPU, when it runs in a container here.</param>
/// <param name="PostgresCpu">The database container's CPU, when it runs in a container here.</param>
/// <param name="Producer">The bench's producer.</param>
public sealed record BenchContext(BenchArguments Arguments, BenchServers Servers, ContainerCpu? RabbitMqCpu, ContainerCpu? PostgresCpu, TaskProducer Producer)
{
    /// <summary>Workers per fleet, as in the measurements.</summary>
    public const int FleetWorkers = 4;

    /// <summary>Finds the containers' counters and starts the producer.</summary>
    public static async Task<BenchContext> CreateAsync(BenchArguments arguments, BenchServers servers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var rabbit = servers.RabbitMqContainerId is { } r ? await ContainerCpu.FindAsync(r) : null;
        var postgres = servers.PostgresContainerId is { } p ? await ContainerCpu.FindAsync(p) : null;
        return new BenchContext(arguments, servers, rabbit, postgres, await TaskProducer.StartAsync(servers.RabbitMq, cancellationToken));
    }

    /// <summary>A meter over a fleet's processes and the two containers.</summary>
    public CpuMeter MeterFor(IBenchFleet fleet)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        var meter = new CpuMeter();
        for (var i = 0; i < fleet.Dispatchers.Count; i++)
        {
            meter.AddProcess(fleet.Dispatchers.Count == 1 ? "dispatcher" : $"dispatcher-{i + 1}", fleet.Dispatchers[i].Pid);
        }

        for (var i = 0; i < fleet.Workers.Count; i++)
        {
            meter.AddProcess($"worker-{i + 1}", fleet.Workers[i].Pid);
        }

        return meter.AddContainer("rabbitmq", RabbitMqCpu).AddContainer("postgres", PostgresCpu);
    }

    /// <summary>Waits for every outcome, failing early when a fleet process dies or the round's time is up.</summary>
    public async Task WaitForAllAsync(FinishedCounter counter, IBenchFleet fleet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counter);
        ArgumentNullException.ThrowIfNull(fleet);
        var timeout = Arguments.TimeoutFor(counter.Expected);
        var deadline = DateTime.UtcNow + timeout;
        while (!counter.AllFinished.IsCompleted)
        {
            foreach (var process in fleet.Dispatchers.Concat(fleet.Workers))
            {
                process.ThrowIfExited();
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"only {counter.Finished} of {counter.Expected} tasks finished within {timeout}; dispatcher output:{Environment.NewLine}{fleet.Dispatcher.Tail()}");
            }

            await Task.WhenAny(counter.AllFinished, Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
