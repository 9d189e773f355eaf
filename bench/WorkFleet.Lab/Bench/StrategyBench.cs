using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Jobs;
using WorkFleet.Simulation;

namespace WorkFleet.Lab.Bench;

/// <summary>
/// The simulator's ranking checked on real messages: for each strategy in turn, a fresh dispatcher with that
/// strategy and fresh workers (new ids, so nothing of an earlier run is in their queues) on the RabbitMQ and
/// PostgreSQL of the configuration, fed the simulator's own workload (Poisson arrivals, lognormal costs, same
/// seed) as <c>bench.sleep</c> tasks, each task's latency measured from submit to the client's receipt of
/// its outcome; then the simulator's prediction for the identical scenario.
/// </summary>
public static class StrategyBench
{
    private const int WarmupTasksPerWorker = 25;
    private const int WarmupRunTasks = 100;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan WorkersTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs every strategy and returns the report.</summary>
    /// <param name="settings">The scenario and strategies.</param>
    /// <param name="stack">Where RabbitMQ and PostgreSQL are: the <c>WorkFleet:Transport</c> and <c>WorkFleet:Database</c> settings.</param>
    /// <param name="onRun">Called after each strategy's run, e.g. for progress output.</param>
    /// <param name="cancellationToken">Stops the bench.</param>
    public static async Task<StrategyBenchReport> RunAsync(
        StrategyBenchSettings settings, IConfiguration stack, Action<StrategyBenchRun>? onRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(stack);
        if (settings.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(settings));
        }

        var simulator = new FleetSimulator(settings.ToScenario());

        // The first fleet of a process runs on cold code, a small thread pool and a young heap: an unreported
        // run of the workload's first tasks keeps that out of whichever strategy comes first.
        var warmup = new FleetSimulator(settings.ToScenario() with { TaskCount = Math.Min(WarmupRunTasks, settings.Tasks) });
        await RunStrategyAsync(settings, warmup, settings.Strategies[0], stack, cancellationToken);

        var runs = new List<StrategyBenchRun>();
        foreach (var strategy in settings.Strategies)
        {
            var run = await RunStrategyAsync(settings, simulator, strategy, stack, cancellationToken);
            runs.Add(run);
            onRun?.Invoke(run);
        }

        var real = Ranking(runs, r => r.Real.P99Ms);
        var simulated = Ranking(runs, r => r.Simulated.P99Ms);
        return new StrategyBenchReport(
            settings,
            runs,
            Math.Round(simulator.LowerBoundMs, 1),
            LatencySummary.FromSimulation(simulator.Run(FleetSimulator.SharedQueue)),
            real,
            simulated,
            real.SequenceEqual(simulated, StringComparer.Ordinal));
    }

    private static List<string> Ranking(IEnumerable<StrategyBenchRun> runs, Func<StrategyBenchRun, double> p99) =>
        [.. runs.OrderBy(p99).ThenBy(r => r.Strategy, StringComparer.Ordinal).Select(r => r.Strategy)];

    private static async Task<StrategyBenchRun> RunStrategyAsync(
        StrategyBenchSettings settings, FleetSimulator simulator, string strategy, IConfiguration stack, CancellationToken cancellationToken)
    {
        var scenario = simulator.Scenario;
        var runId = Guid.NewGuid().ToString("N")[..6];
        var speeds = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < scenario.WorkerCount; i++)
        {
            speeds[$"bench-{runId}-{i + 1}"] = scenario.Speeds[i];
        }

        using var dispatcherHost = BuildHost(stack, builder => builder.AddWorkFleetDispatcher(o => o.Strategy = strategy));
        using var fleetHost = BuildHost(stack, builder =>
        {
            builder.Services.AddSingleton<IJobHandler>(new SleepJobHandler(speeds));
            var index = 0;
            foreach (var (id, speed) in speeds)
            {
                var capacity = scenario.CapacityOf(index++);
                builder.AddWorkFleetWorker(o =>
                {
                    o.WorkerId = id;
                    o.Weight = speed;
                    o.Capacity = capacity;
                    o.HeartbeatInterval = StrategyBenchSettings.Heartbeat;
                    o.JobTypes = [SleepJobHandler.Type];
                });
            }

            builder.AddWorkFleetClient();
        });

        await StartAsync(dispatcherHost, "dispatcher", cancellationToken);
        try
        {
            await StartAsync(fleetHost, "workers", cancellationToken);
            try
            {
                await WaitForWorkersAsync(dispatcherHost.Services.GetRequiredService<SlotAllocator>(), speeds.Keys, cancellationToken);
                var client = fleetHost.Services.GetRequiredService<WorkFleetClient>();
                await WarmUpAsync(client, WarmupTasksPerWorker * speeds.Count, cancellationToken);
                var tasks = await MeasureAsync(client, simulator, speeds, cancellationToken);
                return Summarize(strategy, tasks, simulator);
            }
            finally
            {
                await fleetHost.StopAsync(CancellationToken.None);
            }
        }
        finally
        {
            await dispatcherHost.StopAsync(CancellationToken.None);
        }
    }

    private static IHost BuildHost(IConfiguration stack, Action<HostApplicationBuilder> addRoles)
    {
        // No default sources: the stack settings come from the caller, the rest from the bench.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory, DisableDefaults = true });
        builder.Configuration.AddConfiguration(stack);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error);

        // EF logs the expected miss of the migrations table on a fresh database as an error.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Critical);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.Configure<HostOptions>(o => o.ServicesStopConcurrently = true);
        addRoles(builder);
        return builder.Build();
    }

    private static async Task StartAsync(IHost host, string role, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        try
        {
            await host.StartAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"The bench's {role} host did not start within {StartTimeout.TotalSeconds:F0} s: check WorkFleet:Transport:RabbitMq:* and WorkFleet:Database:ConnectionString.");
        }
    }

    /// <summary>Waits until the dispatcher sees every bench worker alive and no other live worker that runs <c>bench.sleep</c>.</summary>
    private static async Task WaitForWorkersAsync(SlotAllocator allocator, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var ours = ids.ToHashSet(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var serving = allocator.Snapshot()
                .Where(w => w.IsAlive && !w.Snapshot.IsDraining && w.Snapshot.JobTypes.Contains(SleepJobHandler.Type))
                .Select(w => w.Snapshot.WorkerId)
                .ToHashSet(StringComparer.Ordinal);
            if (serving.SetEquals(ours))
            {
                return;
            }

            if (clock.Elapsed > WorkersTimeout)
            {
                var missing = ours.Except(serving).ToList();
                var foreign = serving.Except(ours).ToList();
                throw new TimeoutException(
                    $"After {WorkersTimeout.TotalSeconds:F0} s the bench's dispatcher " +
                    (missing.Count > 0 ? $"still does not see workers {string.Join(", ", missing)}" : $"also sees workers of another bench ({string.Join(", ", foreign)})") +
                    "; run the bench alone on its virtual host (WorkFleet:Transport:RabbitMq:VirtualHost).");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    /// <summary>Short tasks through the whole path first, enough for the JIT to optimize it, so that no measured task pays for first connections or cold code.</summary>
    private static async Task WarmUpAsync(WorkFleetClient client, int count, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);
        var tasks = Enumerable.Range(0, count).Select(_ => client.CreateTask(SleepJobHandler.Type, SleepJobHandler.Payload(1))).ToList();
        var waits = tasks.Select(t => client.WaitAsync(t.TaskId, deadline.Token)).ToList();
        await client.SubmitManyAsync(tasks, cancellationToken);
        await Task.WhenAll(waits);
    }

    private static async Task<StrategyBenchTask[]> MeasureAsync(
        WorkFleetClient client, FleetSimulator simulator, Dictionary<string, double> speeds, CancellationToken cancellationToken)
    {
        var arrivals = simulator.ArrivalsMs;
        var costs = simulator.CostsMs;
        var count = arrivals.Count;
        var hints = simulator.HintsMs;
        var tasks = costs.Select((cost, k) => client.CreateTask(SleepJobHandler.Type, SleepJobHandler.Payload(cost), expectedCost: hints?[k])).ToArray();
        var indexOf = tasks.Select((t, k) => (t.TaskId, k)).ToDictionary(p => p.TaskId, p => p.k);
        var submitted = new long[count];
        var finished = new ConcurrentDictionary<int, (long At, TaskFinished Outcome)>();
        var finishedCount = 0;
        var allFinished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The event fires on the client's consumer as the outcome arrives: that instant ends the latency.
        void OnFinished(TaskFinished outcome)
        {
            var at = Stopwatch.GetTimestamp();
            if (indexOf.TryGetValue(outcome.TaskId, out var k) && finished.TryAdd(k, (at, outcome)) && Interlocked.Increment(ref finishedCount) == count)
            {
                allFinished.TrySetResult();
            }
        }

        client.Outcomes.Finished += OnFinished;
        var start = Stopwatch.GetTimestamp();
        try
        {
            var sends = new List<Task>(count);
            for (var k = 0; k < count; k++)
            {
                var wait = arrivals[k] - Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (wait >= 1)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(wait), cancellationToken);
                }

                submitted[k] = Stopwatch.GetTimestamp();
                sends.Add(client.SubmitAsync(tasks[k], cancellationToken));
            }

            await Task.WhenAll(sends);

            // Generous: the workload's own length again plus a minute, for a slow or shared machine.
            var deadline = TimeSpan.FromMilliseconds(arrivals[^1]) + TimeSpan.FromMinutes(1);
            try
            {
                await allFinished.Task.WaitAsync(deadline, cancellationToken);
            }
            catch (TimeoutException)
            {
                // The tasks without an outcome are reported as lost.
            }
        }
        finally
        {
            client.Outcomes.Finished -= OnFinished;
        }

        double Ms(long timestamp) => Stopwatch.GetElapsedTime(start, timestamp).TotalMilliseconds;
        return [.. Enumerable.Range(0, count).Select(k =>
        {
            var done = finished.TryGetValue(k, out var f);
            var workerId = done ? f.Outcome.WorkerId : null;
            return new StrategyBenchTask(
                costs[k],
                arrivals[k],
                Ms(submitted[k]),
                done ? Stopwatch.GetElapsedTime(submitted[k], f.At).TotalMilliseconds : null,
                done && f.Outcome.Outcome == TaskOutcome.Succeeded,
                workerId,
                workerId is not null && speeds.TryGetValue(workerId, out var speed) ? speed : null);
        })];
    }

    private static StrategyBenchRun Summarize(string strategy, StrategyBenchTask[] tasks, FleetSimulator simulator)
    {
        var scenario = simulator.Scenario;
        var done = tasks.Where(t => t.LatencyMs is not null).ToList();
        var makespan = done.Count == 0 ? double.NaN : done.Max(t => t.SubmittedMs + t.LatencyMs!.Value);
        var real = LatencySummary.FromLatencies([.. done.Select(t => t.LatencyMs!.Value)], makespan, tasks.Sum(t => t.CostMs), scenario.TotalSpeedCapacity);
        var simulated = LatencySummary.FromSimulation(simulator.Run(strategy));
        var lags = tasks.Select(t => t.SubmittedMs - t.ScheduledMs).Order().ToArray();
        var overheads = done.Where(t => t.WorkerSpeed is not null).Select(t => t.LatencyMs!.Value - (t.CostMs / t.WorkerSpeed!.Value)).Order().ToArray();
        var span = tasks.Length > 1 ? tasks.Length - 1 : 1;
        return new StrategyBenchRun(
            strategy,
            real,
            simulated,
            tasks.Count(t => t.Succeeded),
            done.Count(t => !t.Succeeded),
            tasks.Length - done.Count,
            Math.Round(span / ((tasks[^1].ScheduledMs - tasks[0].ScheduledMs) / 1000), 1),
            Math.Round(span / ((tasks[^1].SubmittedMs - tasks[0].SubmittedMs) / 1000), 1),
            Math.Round(Percentile(lags, 0.99), 1),
            Math.Round(Percentile(overheads, 0.50), 1),
            Math.Round(Percentile(overheads, 0.99), 1),
            tasks);
    }

    /// <summary>Nearest rank, as the simulator; NaN for no values.</summary>
    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
