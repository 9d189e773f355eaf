using WorkFleet.ThroughputBench.Cpu;
using WorkFleet.ThroughputBench.Fleets;
using WorkFleet.ThroughputBench.Processes;
using WorkFleet.ThroughputBench.Report;
using WorkFleet.ThroughputBench.Roles;
using WorkFleet.ThroughputBench.Servers;

namespace WorkFleet.ThroughputBench.Modes;

/// <summary>
/// <c>heartbeats</c>: a WorkFleet dispatcher with no tasks and a simulator publishing a heartbeat per fake worker per
/// second; after a 5 s warm-up (the dispatcher meets every worker), the CPU of the dispatcher, the simulator,
/// RabbitMQ and PostgreSQL over the measured seconds.
/// </summary>
public static class HeartbeatsMode
{
    // A fresh process keeps tiering up its periodic code paths for tens of seconds; both measurements wait it out.
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(20);

    /// <summary>Runs the simulation.</summary>
    public static async Task<HeartbeatsReport> RunAsync(BenchContext bench, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bench);
        var load = Stats.LoadAverage();
        var workers = bench.Arguments.SimulatedWorkers;
        var name = $"heartbeats_{Guid.NewGuid().ToString("N")[..6]}";
        await using var fleet = await WorkFleetFleet.CreateAsync(bench.Servers, name);
        fleet.StartDispatchers(name);
        await fleet.WaitReadyAsync(cancellationToken);

        // The dispatcher's own idle work (timers, store polls, its own heartbeat) first, so the difference is what
        // the heartbeats cost.
        await Task.Delay(Warmup, cancellationToken);
        var idleMeter = new CpuMeter().AddProcess("dispatcher", fleet.Dispatcher.Pid);
        var idleBefore = idleMeter.Read();
        var idleClock = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(bench.Arguments.Seconds), cancellationToken);
        var idle = CpuMeter.Used(idleBefore, idleMeter.Read()).GetValueOrDefault("dispatcher") / idleClock.Elapsed.TotalSeconds / 10;

        var environment = new Dictionary<string, string>([bench.Servers.RabbitMq.ToEnvironment()]);
        await using var simulator = ChildProcess.Start("heartbeat simulator", BenchAssemblies.Self,
            ["role", "heartbeats", workers.ToString(System.Globalization.CultureInfo.InvariantCulture), $"sim-{name}"], environment);
        await simulator.WaitForLineAsync(line => line.Contains(RoleHost.ReadyLine, StringComparison.Ordinal), FleetProcesses.StartTimeout, cancellationToken);
        await Task.Delay(Warmup, cancellationToken);

        var meter = new CpuMeter().AddProcess("dispatcher", fleet.Dispatcher.Pid).AddProcess("simulator", simulator.Pid)
            .AddContainer("rabbitmq", bench.RabbitMqCpu).AddContainer("postgres", bench.PostgresCpu);
        var before = meter.Read();
        var publishedBefore = Published(simulator);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(bench.Arguments.Seconds), cancellationToken);
        var used = CpuMeter.Used(before, meter.Read());
        var seconds = clock.Elapsed.TotalSeconds;
        var published = Published(simulator) - publishedBefore;
        fleet.Dispatcher.ThrowIfExited();
        simulator.ThrowIfExited();

        // A dispatcher that refuses the heartbeats (e.g. without a sender identity) costs less: that is no measurement.
        var stored = await fleet.StoredWorkersAsync();
        if (stored < workers)
        {
            throw new InvalidOperationException($"the dispatcher stored {stored} of the {workers} simulated workers, so it did not ingest their heartbeats; its output:{Environment.NewLine}{fleet.Dispatcher.Tail()}");
        }

        return new HeartbeatsReport(workers, seconds, published / seconds, used, idle, stored, load, Stats.LoadAverage());
    }

    /// <summary>Heartbeats the simulator had published at its last once-a-second report.</summary>
    private static long Published(ChildProcess simulator) =>
        simulator.LastLine(line => line.StartsWith(HeartbeatSimulatorRole.PublishedLine, StringComparison.Ordinal)) is { } line
            ? long.Parse(line[HeartbeatSimulatorRole.PublishedLine.Length..], System.Globalization.CultureInfo.InvariantCulture)
            : 0;
}
