using System.Globalization;
using WorkFleet.Balancing.CostAware;

namespace WorkFleet.Simulation.Engine;

/// <summary>
/// The cost-aware strategies: waiting tasks ordered by expected cost with aging and placed by
/// <see cref="CostAwareScheduler{T}"/>. <c>cost-aware</c>: each dispatcher keeps its own queue and may hold a task
/// for a faster worker. <c>shared-queue-sjf</c> (the reference): one global queue in shortest-first order, each
/// task to the fastest free slot, never held. The expected cost is the task's hint when the scenario gives hints,
/// otherwise what was learned per job type from finished tasks (<see cref="JobCostEstimator"/>: the mean, or the
/// line through the payload sizes when the scenario models them). Every dispatcher
/// sees the fleet's running attempts exactly and at once (broadcasts taken as instant): with one dispatcher that
/// is what its ledger holds. Several dispatchers take the submits by priority, or at random with
/// <see cref="SimulationScenario.EqualSubmitPriorities"/>.
/// </summary>
internal sealed class CostAwareRun : FleetRun
{
    private readonly SlotForecast _forecast = new();
    private readonly CostAwareScheduler<int>[] _schedulers;
    private readonly JobCostEstimator _estimator = new();
    private readonly string[] _typeNames;
    private readonly double[] _expectedEndMs;
    private readonly double[] _dueMs;
    private readonly int[] _takers;
    private readonly List<StartedTask<int>> _started = [];

    public CostAwareRun(SimulationWorkload workload, bool holds, bool perDispatcherQueues)
        : base(workload)
    {
        var scenario = workload.Scenario;
        foreach (var worker in Workers)
        {
            _forecast.AddWorker(worker.Speed, worker.Capacity);
        }

        _schedulers = new CostAwareScheduler<int>[perDispatcherQueues ? scenario.Dispatchers : 1];
        for (var d = 0; d < _schedulers.Length; d++)
        {
            _schedulers[d] = new CostAwareScheduler<int>(scenario.Aging, _forecast) { HoldForFasterWorkers = holds };
        }

        _typeNames = [.. Enumerable.Range(0, scenario.JobTypeCosts.Count).Select(t => "type" + t.ToString(CultureInfo.InvariantCulture))];
        _expectedEndMs = new double[workload.ArrivalMs.Length];
        _dueMs = new double[workload.ArrivalMs.Length];
        _takers = [.. workload.Dispatcher];
    }

    protected override double[]? DueTimes => _dueMs;

    protected override int[]? TakenBy => _takers;

    protected override void OnArrival(int task)
    {
        var d = TakerOf(task);
        _takers[task] = d;
        _dueMs[task] = _schedulers[d].Enqueue(task, 0, NowMs, ExpectedCostMs(task)).DueMs;
        Dispatch(d);
    }

    protected override void OnCompleted(int worker, int task)
    {
        if (!_forecast.Finish(worker, _expectedEndMs[task]))
        {
            throw new InvalidOperationException($"Task {task} finished on worker {worker}, which the forecast had no record of.");
        }

        var speed = Workers[worker].Speed;
        _estimator.Observe(_typeNames[Workload.JobType[task]], Workload.CostMs[task] / speed, speed, Workload.PayloadSize?[task]);

        // The dispatcher that sent the task sees the slot free first, then the others (in a fixed order).
        var first = SchedulerOf(task);
        Dispatch(first);
        for (var d = 0; d < _schedulers.Length && _forecast.FreeSlots > 0; d++)
        {
            if (d != first)
            {
                Dispatch(d);
            }
        }
    }

    /// <summary>
    /// The dispatcher that takes <paramref name="task"/> when it arrives: by consumer priority, the first whose
    /// prefetch is not full (all full: the one holding the fewest, a simplification of the broker keeping it until one
    /// acknowledges), or the random draw with equal priorities.
    /// </summary>
    private int TakerOf(int task)
    {
        if (_schedulers.Length == 1)
        {
            return 0;
        }

        if (Workload.Scenario.EqualSubmitPriorities)
        {
            return Workload.Dispatcher[task];
        }

        var fewest = 0;
        for (var d = 0; d < _schedulers.Length; d++)
        {
            var holds = _schedulers[d].Waiting.Count;
            if (holds < Workload.Scenario.SubmitConcurrency)
            {
                return d;
            }

            fewest = holds < _schedulers[fewest].Waiting.Count ? d : fewest;
        }

        return fewest;
    }

    private int SchedulerOf(int task) => _schedulers.Length == 1 ? 0 : _takers[task];

    private double? ExpectedCostMs(int task) =>
        Workload.HintMs is { } hints ? hints[task] : _estimator.ExpectedCostMs(_typeNames[Workload.JobType[task]], Workload.PayloadSize?[task]);

    private void Dispatch(int d)
    {
        _started.Clear();
        _schedulers[d].Dispatch(NowMs, _started);
        foreach (var (task, worker, expectedEndMs) in _started)
        {
            _expectedEndMs[task] = expectedEndMs;
            SendToWorker(worker, task);
        }
    }
}
