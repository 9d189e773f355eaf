using WorkFleet.Balancing;
using WorkFleet.Balancing.CostAware;
using WorkFleet.Balancing.Strategies;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>
/// The <c>cost-aware</c> strategy in the allocator: the line is ordered by <see cref="AgingRule"/> (within a priority,
/// shortest expected cost first, each task due after min(A × cost, H)) and a pass runs the two phases of
/// <see cref="CostAwareScheduler{T}"/>: due tasks (and tasks without an estimate) first, in line order, each to the
/// fastest free slot (the default strategy's rule); then up to <see cref="MaxScan"/> tasks not yet due, larger
/// expected costs first, each placed by <see cref="CostAwarePlacement"/> on a <see cref="SlotForecast"/> of the
/// workers that can run it, whose running attempts are expected to end at their grant + expected cost / weight
/// (attempts of unknown cost, other dispatchers' and those restored at start, never end in the forecast). A task held
/// for a busy faster worker stays in the line and is decided again at the next pass; none is bound before its slot.
/// </summary>
public sealed partial class SlotAllocator
{
    /// <summary>Tasks not yet due that one pass weighs against each other (as <see cref="CostAwareScheduler{T}.MaxScan"/>).</summary>
    private const int MaxScan = 64;

    /// <summary>The quantile of expected costs that sets slow workers' run-time budget (as <see cref="CostAwareScheduler{T}.BudgetQuantile"/>).</summary>
    private const double BudgetQuantile = 0.9;

    private readonly Dictionary<AssignmentKey, GrantedAttempt> _granted = [];
    private readonly AgingRule? _costAware = options.Value.Strategy == CostAwarePlacement.StrategyName
        ? new AgingRule { AgingFactor = options.Value.CostAgingFactor, MaxHeadStart = options.Value.CostMaxHeadStart }
        : null;

    private readonly CostQuantiles _costQuantiles = new();

    /// <summary>How often <see cref="Tick"/> should run: 200 ms with cost-aware (due times pass without an event), else 1 s.</summary>
    public TimeSpan TickInterval => _costAware is null ? TimeSpan.FromSeconds(1) : TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Learns from an attempt this dispatcher granted that succeeded after running <paramref name="duration"/> (worker
    /// clock): its job type's cost is the duration × the worker's weight. Call before the slot is released.
    /// </summary>
    public void ObserveRun(string workerId, AssignmentKey key, TimeSpan duration)
    {
        if (costs is null || duration < TimeSpan.Zero)
        {
            return;
        }

        string jobType;
        double weight;
        lock (_gate)
        {
            if (!_granted.TryGetValue(key, out var granted) || granted.WorkerId != workerId || _view.Find(workerId) is not { } worker)
            {
                return;
            }

            (jobType, weight) = (granted.JobType, worker.Weight);
        }

        costs.Observe(jobType, duration, weight);
    }

    /// <summary>The strategy the fleet view runs: cost-aware places due tasks as the default strategy does.</summary>
    private static string ViewStrategy(string configured) =>
        configured == CostAwarePlacement.StrategyName ? StrategyCatalog.Default : configured;

    private double NowMs() => (clock.GetUtcNow() - _startedAt).TotalMilliseconds;

    private double ExpectedEndMs(Waiter waiter, string workerId) =>
        waiter.ExpectedCostMs is { } cost && _view.EffectiveWeight(workerId, clock.GetUtcNow()) is var weight and > 0
            ? NowMs() + (cost / weight)
            : double.PositiveInfinity;

    private void EnterCostAware(Waiter waiter, double? expectedCostMs)
    {
        var arrival = NowMs();
        waiter.ExpectedCostMs = expectedCostMs is > 0 and < double.PositiveInfinity ? expectedCostMs : null;
        waiter.DueMs = _costAware!.DueMs(arrival, waiter.ExpectedCostMs);
        waiter.OrderKey = _costAware.OrderKeyMs(arrival, waiter.DueMs);
        if (waiter.ExpectedCostMs is { } cost)
        {
            _costQuantiles.Record(cost);
        }
    }

    private void PumpCostAware()
    {
        var nowMs = NowMs();
        List<Waiter>? done = null;
        HashSet<TaskRequirements>? blocked = null;
        List<Waiter>? window = null;

        // Phase 1: due tasks and tasks without an estimate, in line order, to the fastest free slot.
        foreach (var waiter in _waiters)
        {
            if (blocked?.Contains(waiter.Requirements) == true)
            {
                continue;
            }

            if (waiter.ExpectedCostMs is not null && nowMs < waiter.DueMs)
            {
                if ((window ??= []).Count < MaxScan)
                {
                    window.Add(waiter);
                }

                continue;
            }

            GrantOrBlock(waiter, ref done, ref blocked);
        }

        // Phase 2: tasks not yet due, larger first, each where it is expected to finish soonest.
        if (window is not null)
        {
            window.Sort(LargerFirst);
            var held = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var waiter in window)
            {
                if (blocked?.Contains(waiter.Requirements) == true)
                {
                    continue;
                }

                switch (Place(waiter, nowMs, held))
                {
                    case true:
                        (done ??= []).Add(waiter);
                        break;
                    case null:
                        (blocked ??= new HashSet<TaskRequirements>(TaskRequirementsComparer.Instance)).Add(waiter.Requirements);
                        break;
                }
            }
        }

        if (done is not null)
        {
            foreach (var waiter in done)
            {
                Leave(waiter);
            }
        }
    }

    /// <summary>True when the task started (its acquisition completed), false when held, null when nothing can take it now.</summary>
    private bool? Place(Waiter waiter, double nowMs, Dictionary<string, int> held)
    {
        var now = clock.GetUtcNow();
        var (forecast, workerIds) = Forecast(waiter.Requirements, now);
        if (forecast.Count == 0)
        {
            // No live capable worker: the default path says why (and fails the task once the grace period is over).
            if (TrySelect(waiter) is { } selection)
            {
                waiter.Completion.TrySetResult(selection);
                return true;
            }

            return null;
        }

        if (forecast.FreeSlots == 0)
        {
            // Nothing can start for these requirements in this pass; holding changes nothing then.
            return null;
        }

        Span<int> heldFor = forecast.Count <= 64 ? stackalloc int[forecast.Count] : new int[forecast.Count];
        for (var i = 0; i < workerIds.Count; i++)
        {
            heldFor[i] = held.GetValueOrDefault(workerIds[i]);
        }

        var budget = _costQuantiles.Quantile(BudgetQuantile) is { } q ? q / forecast.FastestWeight : 0;
        var placement = CostAwarePlacement.Decide(forecast, waiter.ExpectedCostMs, due: false, nowMs, heldFor, budget);
        switch (placement.Kind)
        {
            case PlacementKind.Start:
                var workerId = workerIds[placement.Worker];
                Grant(waiter, workerId);
                waiter.Completion.TrySetResult(new Selection(SelectionOutcome.Selected, workerId));
                return true;
            case PlacementKind.Hold:
                held[workerIds[placement.Worker]] = heldFor[placement.Worker] + 1;
                return false;
            default:
                return null;
        }
    }

    /// <summary>The live, capable, not draining workers and their running attempts' expected ends, numbered as in the list.</summary>
    private (SlotForecast Forecast, List<string> WorkerIds) Forecast(TaskRequirements requirements, DateTimeOffset now)
    {
        var forecast = new SlotForecast();
        var ids = new List<string>();
        foreach (var worker in _view.Workers)
        {
            if (!_view.IsAlive(worker, now) || worker.IsDraining || !requirements.IsMetBy(worker))
            {
                continue;
            }

            var weight = _view.EffectiveWeight(worker.WorkerId, now);
            var i = forecast.AddWorker(weight > 0 ? weight : worker.Weight, worker.Capacity);
            ids.Add(worker.WorkerId);
            var running = Math.Min(_view.EstimatedLoad(worker.WorkerId), worker.Capacity);
            var ends = _view.Ledger.AssignmentsOf(worker.WorkerId)
                .Select(k => _granted.TryGetValue(k, out var g) ? g.ExpectedEndMs : double.PositiveInfinity)
                .Order()
                .Take(running)
                .ToList();
            while (ends.Count < running)
            {
                ends.Add(double.PositiveInfinity);
            }

            foreach (var end in ends)
            {
                forecast.Start(i, end);
            }
        }

        return (forecast, ids);
    }

    private static int LargerFirst(Waiter x, Waiter y)
    {
        var byPriority = y.Priority.CompareTo(x.Priority);
        if (byPriority != 0)
        {
            return byPriority;
        }

        var byCost = (y.ExpectedCostMs ?? 0).CompareTo(x.ExpectedCostMs ?? 0);
        return byCost != 0 ? byCost : x.Arrival.CompareTo(y.Arrival);
    }

    /// <summary>An attempt this dispatcher granted: where, of what job type, and when it is expected to end (ms; +∞ unknown).</summary>
    private readonly record struct GrantedAttempt(string WorkerId, string JobType, double ExpectedEndMs);
}
