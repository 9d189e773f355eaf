using WorkFleet.Balancing.CostAware;
using WorkFleet.Balancing.Strategies;
using WorkFleet.Simulation.Engine;

namespace WorkFleet.Simulation;

/// <summary>
/// Deterministic discrete-event simulation of a WorkFleet fleet (see <see cref="SimulationScenario"/> for the
/// model). The workload is drawn once from the scenario's seed, so every strategy run on one simulator faces
/// identical tasks. Pure: no I/O, no clock, no shared state; separate instances may run in parallel.
/// </summary>
public sealed class FleetSimulator
{
    /// <summary>The reference: one global FIFO that workers pull from when a slot frees (the late-binding ideal).</summary>
    public const string SharedQueue = "shared-queue";

    /// <summary>
    /// A reference for the cost-aware strategy: the shared queue, ordered shortest expected cost first with the
    /// scenario's aging rule, placing each task in the fastest free slot (never holding one back).
    /// </summary>
    public const string SharedQueueSjf = "shared-queue-sjf";

    private readonly SimulationWorkload _workload;

    /// <summary>Validates the scenario and draws its workload.</summary>
    /// <exception cref="ArgumentException">A scenario property is out of range; the parameter name is the property.</exception>
    public FleetSimulator(SimulationScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        scenario.Validate();
        Scenario = scenario;
        _workload = new SimulationWorkload(scenario);
    }

    /// <summary>Every strategy the simulator can run: the catalog's, then <see cref="SharedQueue"/>.</summary>
    public static IReadOnlyList<string> StrategyNames => [.. StrategyCatalog.Names, SharedQueue];

    /// <summary>
    /// The strategies that order and place by expected cost (hints or learned estimates): <see cref="SharedQueueSjf"/>
    /// and <see cref="CostAwarePlacement.StrategyName"/>. Not in <see cref="StrategyNames"/>: run them by name.
    /// </summary>
    public static IReadOnlyList<string> CostAwareNames => [SharedQueueSjf, CostAwarePlacement.StrategyName];

    /// <summary>The scenario simulated.</summary>
    public SimulationScenario Scenario { get; }

    /// <summary>See <see cref="StrategyResult.LowerBoundMs"/>; the same for every strategy.</summary>
    public double LowerBoundMs => _workload.LowerBoundMs;

    /// <summary>See <see cref="StrategyResult.P99FloorMs"/>; the same for every strategy.</summary>
    public double P99FloorMs => _workload.P99FloorMs;

    /// <summary>Arrival time of the last task.</summary>
    public double LastArrivalMs => _workload.ArrivalMs[^1];

    /// <summary>Arrival time of each task in ms from the start, ascending: the workload every strategy faces.</summary>
    public IReadOnlyList<double> ArrivalsMs => Array.AsReadOnly(_workload.ArrivalMs);

    /// <summary>Each task's cost, in ms on a worker of speed 1 (index as <see cref="ArrivalsMs"/>).</summary>
    public IReadOnlyList<double> CostsMs => Array.AsReadOnly(_workload.CostMs);

    /// <summary>Each task's cost hint in ms at speed 1 (<see cref="SimulationScenario.HintCv"/>; index as <see cref="ArrivalsMs"/>); null without hints.</summary>
    public IReadOnlyList<double>? HintsMs => _workload.HintMs is { } hints ? Array.AsReadOnly(hints) : null;

    /// <summary>Runs one strategy; with <paramref name="recordTasks"/> the result lists every task's timeline.</summary>
    /// <exception cref="ArgumentException">The name is neither in the catalog nor <see cref="SharedQueue"/>.</exception>
    public StrategyResult Run(string strategy, bool recordTasks = false)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        if (!StrategyNames.Contains(strategy, StringComparer.Ordinal) && !CostAwareNames.Contains(strategy, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"Strategy '{strategy}' is unknown; valid: {string.Join(", ", StrategyNames.Concat(CostAwareNames))}.", nameof(strategy));
        }

        FleetRun run = strategy switch
        {
            SharedQueue => new SharedQueueRun(_workload),
            SharedQueueSjf => new CostAwareRun(_workload, holds: false, perDispatcherQueues: false),
            CostAwarePlacement.StrategyName => new CostAwareRun(_workload, holds: true, perDispatcherQueues: true),
            _ => new DispatchedRun(_workload, strategy),
        };
        return Summarize(strategy, run.Run(), recordTasks);
    }

    /// <summary>Runs each named strategy in turn (all of <see cref="StrategyNames"/> when null).</summary>
    public IReadOnlyList<StrategyResult> RunAll(IEnumerable<string>? strategies = null) =>
        [.. (strategies ?? StrategyNames).Select(name => Run(name))];

    private StrategyResult Summarize(string name, RunRecord record, bool recordTasks)
    {
        var arrival = _workload.ArrivalMs;
        var count = arrival.Length;
        var latencies = new double[count];
        double latencySum = 0, waitSum = 0, makespan = 0;
        for (var k = 0; k < count; k++)
        {
            latencies[k] = record.CompletionMs[k] - arrival[k];
            latencySum += latencies[k];
            waitSum += record.StartMs[k] - arrival[k];
            makespan = Math.Max(makespan, record.CompletionMs[k]);
        }

        Array.Sort(latencies);
        return new StrategyResult
        {
            Name = name,
            Completed = record.Workers.Sum(w => w.Completed),
            P50Ms = NearestRank.Percentile(latencies, 0.50),
            P95Ms = NearestRank.Percentile(latencies, 0.95),
            P99Ms = NearestRank.Percentile(latencies, 0.99),
            MeanMs = latencySum / count,
            MaxMs = latencies[^1],
            MeanWaitMs = waitSum / count,
            MakespanMs = makespan,
            LowerBoundMs = _workload.LowerBoundMs,
            P99FloorMs = _workload.P99FloorMs,
            Utilization = _workload.TotalWorkMs / (makespan * Scenario.TotalSpeedCapacity),
            Workers = [.. record.Workers.Select(w => new WorkerResult(w.Speed, w.Capacity, w.Completed, w.MaxRunning, w.MaxQueued))],
            Tasks = recordTasks ? Timeline(record) : [],
        };
    }

    private SimulatedTask[] Timeline(RunRecord record)
    {
        var tasks = new SimulatedTask[_workload.ArrivalMs.Length];
        for (var k = 0; k < tasks.Length; k++)
        {
            tasks[k] = new SimulatedTask(
                record.WorkerOf[k], record.TakenBy?[k] ?? _workload.Dispatcher[k], _workload.ArrivalMs[k], record.StartMs[k], record.CompletionMs[k], _workload.CostMs[k])
            {
                DueMs = record.DueMs?[k] ?? _workload.ArrivalMs[k],
            };
        }

        return tasks;
    }
}
