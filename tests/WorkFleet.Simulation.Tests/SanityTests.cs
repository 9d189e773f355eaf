using WorkFleet.Simulation.Tests.Support;

namespace WorkFleet.Simulation.Tests;

public sealed class SanityTests
{
    [Theory]
    [MemberData(nameof(Scenarios.Strategies), MemberType = typeof(Scenarios))]
    public void LowLoad_EqualSpeeds_MeanLatencyIsTheMeanServiceTime(string strategy)
    {
        // At ρ = 0.1 a task almost never waits, so latency ≈ service time, whose mean is the cost unit.
        var scenario = new SimulationScenario { Speeds = [1, 1, 1, 1], Load = 0.1, TaskCount = 20_000 };

        var result = new FleetSimulator(scenario).Run(strategy);

        Assert.InRange(result.MeanMs, 0.85 * scenario.CostUnitMs, 1.15 * scenario.CostUnitMs);
    }

    [Theory]
    [MemberData(nameof(Scenarios.Names), MemberType = typeof(Scenarios))]
    public void EveryStrategy_AllTasksComplete_NoMakespanBelowTheLowerBoundNorP99BelowTheFloor(string scenario)
    {
        var results = Results.Of(scenario);

        Assert.Equal(FleetSimulator.StrategyNames.Order(StringComparer.Ordinal), results.Keys.Order(StringComparer.Ordinal));
        Assert.All(results.Values, r =>
        {
            Assert.Equal(Scenarios.ByName(scenario).TaskCount, r.Completed);
            Assert.True(r.MakespanMs >= r.LowerBoundMs, Results.Describe(r));
            Assert.True(r.P99Ms >= r.P99FloorMs, $"{Results.Describe(r)}, p99 floor {r.P99FloorMs:F1} ms");
            Assert.InRange(r.Utilization, 0, 1);
        });
    }

    [Theory]
    [MemberData(nameof(Scenarios.Strategies), MemberType = typeof(Scenarios))]
    public void EveryStrategy_ManyDispatchersOnStaleViews_NoWorkerEverRunsAboveCapacity(string strategy)
    {
        // Eight dispatchers on 2 s heartbeats overbook workers (tasks then wait in the worker's FIFO).
        var scenario = new SimulationScenario { Speeds = [1, 1, 2, 4, 1, 2], Load = 0.95, TaskCount = 10_000, Dispatchers = 8, HeartbeatMs = 2000 };

        var result = new FleetSimulator(scenario).Run(strategy, recordTasks: true);

        // Independent of the simulator's own counters: sweep each worker's recorded run intervals.
        for (var worker = 0; worker < scenario.WorkerCount; worker++)
        {
            var capacity = scenario.CapacityOf(worker);
            var peak = PeakConcurrency(result.Tasks.Where(t => t.Worker == worker));
            Assert.True(peak <= capacity, $"worker {worker} ran {peak} tasks at once; capacity {capacity}");
            Assert.Equal(peak, result.Workers[worker].MaxRunning);
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios.Strategies), MemberType = typeof(Scenarios))]
    public void EveryTask_RunsForItsCostOverItsWorkersSpeed_AfterItArrives(string strategy)
    {
        var scenario = new SimulationScenario { TaskCount = 5_000, Dispatchers = 3 };

        var result = new FleetSimulator(scenario).Run(strategy, recordTasks: true);

        Assert.All(result.Tasks, t =>
        {
            Assert.True(t.StartMs >= t.ArrivalMs);
            Assert.Equal(t.CostMs / scenario.Speeds[t.Worker], t.CompletionMs - t.StartMs, 1e-6);
        });
    }

    [Fact]
    public void SharedQueue_LowLoadMixedSpeeds_RunsOnTheFastestWorker()
    {
        var scenario = new SimulationScenario { Speeds = [1, 1, 4], Capacity = 4, Load = 0.05 };

        var result = new FleetSimulator(scenario).Run(FleetSimulator.SharedQueue);

        Assert.InRange(result.MeanMs, 0.95 * scenario.CostUnitMs / 4, 1.15 * scenario.CostUnitMs / 4);
    }

    [Fact]
    public void Workload_CostsAndArrivals_FollowTheScenario()
    {
        var scenario = new SimulationScenario { TaskCount = 200_000, CostCv = 2 };

        var tasks = new FleetSimulator(scenario).Run(FleetSimulator.SharedQueue, recordTasks: true).Tasks;

        var costs = tasks.Select(t => t.CostMs / scenario.CostUnitMs).ToList();
        var mean = costs.Average();
        var cv = Math.Sqrt(costs.Average(c => (c - mean) * (c - mean))) / mean;
        Assert.InRange(mean, 0.97, 1.03);
        Assert.InRange(cv, 1.8, 2.2);
        var rate = tasks.Count / tasks[^1].ArrivalMs;
        Assert.InRange(rate, 0.99 * scenario.ArrivalsPerMs, 1.01 * scenario.ArrivalsPerMs);
    }

    [Fact]
    public void Workload_NoCostSpread_EveryTaskCostsOneUnit()
    {
        var scenario = new SimulationScenario { TaskCount = 1_000, CostCv = 0, CostUnitMs = 50 };

        var tasks = new FleetSimulator(scenario).Run(FleetSimulator.SharedQueue, recordTasks: true).Tasks;

        Assert.All(tasks, t => Assert.Equal(50, t.CostMs));
    }

    private static int PeakConcurrency(IEnumerable<SimulatedTask> tasks)
    {
        // At equal times a finish frees its slot before a start takes one (the simulator does the same).
        var changes = tasks.SelectMany(t => new[] { (Time: t.StartMs, Delta: 1), (Time: t.CompletionMs, Delta: -1) })
            .OrderBy(c => c.Time).ThenBy(c => c.Delta);
        int running = 0, peak = 0;
        foreach (var (_, delta) in changes)
        {
            running += delta;
            peak = Math.Max(peak, running);
        }

        return peak;
    }
}
