using WorkFleet.Balancing;
using WorkFleet.Balancing.CostAware;
using WorkFleet.Balancing.Strategies;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Configuration;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>
/// The <c>cost-aware</c> strategy in the allocator: the line is ordered by <see cref="AgingRule"/> (within a priority,
/// shortest expected cost first, each task due after min(A × cost, H)) and a pass runs the two phases of
/// <see cref="CostAwareScheduler{T}"/>: due tasks (and tasks without an estimate) first, in line order, each to the
/// fastest free slot (the default strategy's rule); then up to <see cref="MaxScan"/> tasks not yet due, larger
/// expected costs first, each placed by <see cref="CostAwarePlacement"/> on a <see cref="SlotForecast"/> of the
/// workers that can run it, whose running attempts are expected to end at their start + expected cost / weight:
/// granted here, observed from another dispatcher's broadcast (from when it was heard, when the broadcast names a cost
/// or a job type with a learned estimate) or restored from the store (from its dispatch). Attempts of unknown cost
/// never end in the forecast. A task held for a busy faster worker stays in the line and is decided again at the next
/// pass; none is bound before its slot.
/// </summary>
/// <remarks>
/// The forecast of each kind of task (its requirements) is kept from one pass to the next and only the rows of the
/// workers that changed since are rebuilt (<see cref="Touch"/>: a grant, a release, a heartbeat, a drain), so a
/// decision costs the placement's own scan, not a walk over every worker's ledger. It is rebuilt whole when a worker
/// joins or leaves it (liveness, drain, capabilities) or changes weight or capacity, and on every pass while a worker
/// in it is in its slow-start ramp. What it holds is what a forecast built afresh would hold.
/// </remarks>
public sealed partial class SlotAllocator
{
    /// <summary>Tasks not yet due that one pass weighs against each other (as <see cref="CostAwareScheduler{T}.MaxScan"/>).</summary>
    private const int MaxScan = CostAwareScheduler<Waiter>.DefaultMaxScan;

    /// <summary>The quantile of expected costs that sets slow workers' run-time budget (as <see cref="CostAwareScheduler{T}.BudgetQuantile"/>).</summary>
    private const double BudgetQuantile = 0.9;

    /// <summary>Kinds of task whose forecasts are kept; past this many, all are dropped and built again on use.</summary>
    private const int MaxKeptForecasts = 32;

    private readonly Dictionary<AssignmentKey, CountedAttempt> _granted = [];
    private readonly AgingRule? _costAware = options.Value.Strategy == CostAwarePlacement.StrategyName
        ? new AgingRule { AgingFactor = options.Value.CostAgingFactor, MaxHeadStart = options.Value.CostMaxHeadStart }
        : null;

    private readonly CostQuantiles _costQuantiles = new();

    // Per pass: the fastest live worker's weight (for slack) and the expected cost above which a task is a tail task.
    private double _fastestWeight = 1;
    private double _tailMs = double.PositiveInfinity;
    private Comparison<Waiter>? _leastSlackFirst;

    // Per worker, the known expected ends (ms) of the attempts in its ledger, ascending; the others never end.
    private readonly Dictionary<string, List<double>> _endsByWorker = new(StringComparer.Ordinal);
    private readonly Dictionary<TaskRequirements, KindForecast> _forecasts = new(TaskRequirementsComparer.Instance);

    // Buffers of one pass, reused.
    private readonly List<Waiter> _window = [];
    private readonly List<Waiter> _done = [];
    private readonly HashSet<TaskRequirements> _blocked = new(TaskRequirementsComparer.Instance);
    private readonly Dictionary<string, int> _held = new(StringComparer.Ordinal);
    private int[] _heldFor = new int[64];

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
        int? payloadSize;
        lock (_gate)
        {
            if (!_granted.TryGetValue(key, out var granted) || !granted.GrantedHere || granted.WorkerId != workerId
                || granted.JobType is null || _view.Find(workerId) is not { } worker)
            {
                return;
            }

            (jobType, weight, payloadSize) = (granted.JobType, worker.Weight, granted.PayloadSize);
        }

        costs.Observe(jobType, duration, weight, payloadSize);
    }

    /// <summary>
    /// Records an attempt found open in the store at start (like <see cref="Restore(string, AssignmentKey)"/>), sent at
    /// <paramref name="dispatchedAt"/> (null: unknown, taken as now): with the cost-aware strategy it is expected to end
    /// at that time + its cost (the hint, else the learned estimate of <paramref name="jobType"/>) / the worker's
    /// weight, instead of never.
    /// </summary>
    public void Restore(string workerId, AssignmentKey key, string jobType, double? expectedCostMs, DateTimeOffset? dispatchedAt)
    {
        lock (_gate)
        {
            _view.Ledger.Assign(workerId, key);
            if (_costAware is not null && !_granted.ContainsKey(key))
            {
                Count(key, workerId, jobType, EstimateOf(jobType, expectedCostMs), dispatchedAt is { } at ? (at - _startedAt).TotalMilliseconds : NowMs(), grantedHere: false);
            }
            else
            {
                Touch(workerId);
            }
        }
    }

    /// <summary>
    /// The broadcast that tells other dispatchers an attempt on <paramref name="workerId"/> took a slot, with its job
    /// type and expected cost when this allocator knows them.
    /// </summary>
    public AttemptAssigned Announcement(string workerId, AssignmentKey key, string dispatcherId)
    {
        CountedAttempt counted;
        lock (_gate)
        {
            _granted.TryGetValue(key, out counted);
        }

        return new AttemptAssigned
        {
            TaskId = key.TaskId,
            Attempt = key.Attempt,
            WorkerId = workerId,
            DispatcherId = dispatcherId,
            JobType = counted.JobType,
            ExpectedCostMs = counted.ExpectedCostMs,
        };
    }

    /// <summary>
    /// The fleet view's short-task prefetch: off with cost-aware, which holds tasks for the worker where they finish
    /// soonest and forecasts slots by capacity.
    /// </summary>
    private static ShortTaskPrefetch PrefetchOf(DispatcherOptions options) =>
        options.Strategy == CostAwarePlacement.StrategyName
            ? ShortTaskPrefetch.Off
            : new ShortTaskPrefetch(options.PrefetchPerSlot, options.PrefetchMaxTaskDuration.TotalMilliseconds);

    /// <summary>The strategy the fleet view runs: cost-aware places due tasks as the default strategy does.</summary>
    private static string ViewStrategy(string configured) =>
        configured == CostAwarePlacement.StrategyName ? StrategyCatalog.Default : configured;

    /// <summary>Least slack first, tail tasks last, as <see cref="CostAwareScheduler{T}"/> decides (<see cref="SlackOrder"/>).</summary>
    private int LeastSlackFirst(Waiter x, Waiter y) => SlackOrder.Compare(OrderOf(x), OrderOf(y));

    private SlackOrder OrderOf(Waiter waiter) =>
        SlackOrder.Of(waiter.Priority, waiter.ArrivalMs, waiter.ExpectedCostMs, _fastestWeight, _tailMs, waiter.Arrival);

    /// <summary>Runs past the p99 target even on the fastest worker with no wait (see <see cref="CostAwareScheduler{T}.TailFactor"/>).</summary>
    private bool IsTail(Waiter waiter) => waiter.ExpectedCostMs > _tailMs;

    private static bool IsEligible(WorkerSnapshot worker, TaskRequirements requirements, DateTimeOffset now, TimeSpan liveness) =>
        now - worker.LastSeen <= liveness && !worker.IsDraining && requirements.IsMetBy(worker);

    private double NowMs() => (clock.GetUtcNow() - _startedAt).TotalMilliseconds;

    private double FastestLiveWeight(DateTimeOffset now)
    {
        var fastest = 0.0;
        foreach (var worker in _view.Workers)
        {
            if (_view.IsAlive(worker, now) && !worker.IsDraining)
            {
                fastest = Math.Max(fastest, worker.Weight);
            }
        }

        return fastest > 0 ? fastest : 1;
    }


    /// <summary>A cost hint if valid, else the learned estimate of the job type; null when neither is known.</summary>
    private double? EstimateOf(string? jobType, double? expectedCostMs) =>
        expectedCostMs is > 0 and < double.PositiveInfinity ? expectedCostMs
        : jobType is not null && costs?.ExpectedCostMs(jobType) is { } learned ? learned
        : null;

    private void EnterCostAware(Waiter waiter, double? expectedCostMs)
    {
        var arrival = NowMs();
        waiter.ArrivalMs = arrival;
        waiter.ExpectedCostMs = expectedCostMs is > 0 and < double.PositiveInfinity ? expectedCostMs : null;
        waiter.DueMs = _costAware!.DueMs(arrival, waiter.ExpectedCostMs);
        waiter.OrderKey = _costAware.OrderKeyMs(arrival, waiter.DueMs);
        if (waiter.ExpectedCostMs is { } cost)
        {
            _costQuantiles.Record(cost);
        }
    }

    /// <summary>Counts the grant of <paramref name="waiter"/> on <paramref name="workerId"/> (its ledger entry is made).</summary>
    private void CountGrant(Waiter waiter, string workerId) =>
        Count(waiter.Key, workerId, waiter.Requirements.JobType, waiter.ExpectedCostMs, waiter.ExpectedCostMs is null ? 0 : NowMs(), grantedHere: true, waiter.PayloadSize);

    /// <summary>Counts another dispatcher's attempt just heard of (its ledger entry is made); only cost-aware needs it.</summary>
    private void CountObservedCost(string workerId, AssignmentKey key, string? jobType, double? expectedCostMs)
    {
        if (_costAware is null)
        {
            Touch(workerId);
            return;
        }

        Count(key, workerId, jobType, EstimateOf(jobType, expectedCostMs), NowMs(), grantedHere: false);
    }

    private void Count(AssignmentKey key, string workerId, string? jobType, double? expectedCostMs, double startMs, bool grantedHere, int? payloadSize = null)
    {
        var endMs = expectedCostMs is { } cost && _view.EffectiveWeight(workerId, clock.GetUtcNow()) is var weight and > 0
            ? startMs + (cost / weight)
            : double.PositiveInfinity;
        ForgetCounted(workerId, key);
        _granted[key] = new CountedAttempt(workerId, jobType, expectedCostMs, endMs, grantedHere, payloadSize);
        if (_costAware is not null && double.IsFinite(endMs))
        {
            if (!_endsByWorker.TryGetValue(workerId, out var ends))
            {
                ends = [];
                _endsByWorker.Add(workerId, ends);
            }

            var at = ends.BinarySearch(endMs);
            ends.Insert(at >= 0 ? at : ~at, endMs);
        }
    }

    /// <summary>
    /// Forgets what is known of an attempt that left the ledger of <paramref name="workerId"/>, and tells the kept
    /// forecasts that the worker's row changed (also for <see cref="Count"/>, which calls this first).
    /// </summary>
    private void ForgetCounted(string workerId, AssignmentKey key)
    {
        Touch(workerId);
        if (!_granted.Remove(key, out var counted) || !double.IsFinite(counted.ExpectedEndMs)
            || !_endsByWorker.TryGetValue(counted.WorkerId, out var ends))
        {
            return;
        }

        var at = ends.BinarySearch(counted.ExpectedEndMs);
        if (at >= 0)
        {
            ends.RemoveAt(at);
        }

        if (ends.Count == 0 && _view.Find(counted.WorkerId) is null)
        {
            _endsByWorker.Remove(counted.WorkerId);
        }
    }

    /// <summary>Tells every kept forecast that the worker's row may have changed (its ledger, heartbeat or drain).</summary>
    private void Touch(string workerId)
    {
        foreach (var forecast in _forecasts.Values)
        {
            forecast.Changed.Add(workerId);
        }
    }

    private void PumpCostAware()
    {
        var nowMs = NowMs();
        List<Waiter>? done = _done;
        HashSet<TaskRequirements>? blocked = _blocked;
        _window.Clear();
        _done.Clear();
        _blocked.Clear();
        _held.Clear();

        // Phase 1: due tasks and tasks without an estimate, in line order, to the fastest free slot.
        foreach (var waiter in _waiters)
        {
            if (_blocked.Contains(waiter.Requirements))
            {
                continue;
            }

            if (waiter.ExpectedCostMs is not null && nowMs < waiter.DueMs)
            {
                if (_window.Count < MaxScan)
                {
                    _window.Add(waiter);
                }

                continue;
            }

            GrantOrBlock(waiter, ref done, ref blocked);
        }

        // Phase 2: tasks not yet due, least slack first and tail tasks last, each where it is expected to finish soonest.
        _fastestWeight = FastestLiveWeight(clock.GetUtcNow());
        _tailMs = _costQuantiles.Quantile(CostAwareScheduler<Waiter>.TailQuantile) is { } tail
            ? CostAwareScheduler<Waiter>.DefaultTailFactor * tail
            : double.PositiveInfinity;
        _window.Sort(_leastSlackFirst ??= LeastSlackFirst);
        foreach (var waiter in _window)
        {
            if (_blocked.Contains(waiter.Requirements))
            {
                continue;
            }

            switch (Place(waiter, nowMs))
            {
                case true:
                    _done.Add(waiter);
                    break;
                case null:
                    _blocked.Add(waiter.Requirements);
                    break;
            }
        }

        foreach (var waiter in _done)
        {
            Leave(waiter);
        }

        _window.Clear();
        _done.Clear();
    }

    /// <summary>True when the task started (its acquisition completed), false when held, null when nothing can take it now.</summary>
    private bool? Place(Waiter waiter, double nowMs)
    {
        var now = clock.GetUtcNow();
        var kind = Forecast(waiter.Requirements, now);
        var forecast = kind.Slots;
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

        if (_heldFor.Length < forecast.Count)
        {
            _heldFor = new int[Math.Max(forecast.Count, _heldFor.Length * 2)];
        }

        var heldFor = _heldFor.AsSpan(0, forecast.Count);
        heldFor.Clear();
        foreach (var (workerId, held) in _held)
        {
            if (kind.Index.TryGetValue(workerId, out var i))
            {
                heldFor[i] = held;
            }
        }

        var budget = _costQuantiles.Quantile(BudgetQuantile) is { } q ? q / forecast.FastestWeight : 0;
        var placement = CostAwarePlacement.Decide(forecast, waiter.ExpectedCostMs, due: false, nowMs, heldFor, budget);
        if (placement.Kind == PlacementKind.Start && IsTail(waiter) && !forecast.KeepsASlotFree(placement.Worker))
        {
            // A tail task not yet due starts only where it leaves a slot for the others (or on an idle worker).
            return false;
        }

        switch (placement.Kind)
        {
            case PlacementKind.Start:
                var workerId = kind.WorkerIds[placement.Worker];
                Grant(waiter, workerId);
                waiter.Completion.TrySetResult(new Selection(SelectionOutcome.Selected, workerId));
                return true;
            case PlacementKind.Hold:
                _held[kind.WorkerIds[placement.Worker]] = heldFor[placement.Worker] + 1;
                return false;
            default:
                return null;
        }
    }

    /// <summary>
    /// The forecast for <paramref name="requirements"/> at <paramref name="now"/>: the live, capable, not draining
    /// workers in fleet order, each with its running attempts' expected ends (see the remarks of the class).
    /// </summary>
    private KindForecast Forecast(TaskRequirements requirements, DateTimeOffset now)
    {
        if (!_forecasts.TryGetValue(requirements, out var kind))
        {
            if (_forecasts.Count == MaxKeptForecasts)
            {
                _forecasts.Clear();
            }

            // A private copy: the caller's capability list could change after this call.
            kind = new KindForecast(new TaskRequirements(requirements.JobType, [.. requirements.Capabilities]));
            _forecasts.Add(kind.Requirements, kind);
            Rebuild(kind, now);
            return kind;
        }

        if (now.UtcTicks > kind.StaleAfterTicks || (kind.Ramping && now.UtcTicks != kind.BuiltAtTicks) || !TryRefresh(kind, now))
        {
            Rebuild(kind, now);
        }

        return kind;
    }

    /// <summary>Rebuilds the rows of the workers that changed; false when one joins or leaves the forecast or changes weight or capacity.</summary>
    private bool TryRefresh(KindForecast kind, DateTimeOffset now)
    {
        var liveness = options.Value.LivenessTimeout;
        foreach (var workerId in kind.Changed)
        {
            var worker = _view.Find(workerId);
            var eligible = worker is not null && IsEligible(worker, kind.Requirements, now, liveness);
            if (!kind.Index.TryGetValue(workerId, out var i))
            {
                if (eligible)
                {
                    return false;
                }

                continue;
            }

            if (!eligible || WeightOf(worker!, now) != kind.Slots.Weight(i) || worker!.Capacity != kind.Slots.Capacity(i))
            {
                return false;
            }

            kind.StaleAfterTicks = Math.Min(kind.StaleAfterTicks, (worker.LastSeen + liveness).UtcTicks);
            FillRow(kind.Slots, i, worker);
        }

        kind.Changed.Clear();
        return true;
    }

    private void Rebuild(KindForecast kind, DateTimeOffset now)
    {
        var liveness = options.Value.LivenessTimeout;
        kind.Reset(now.UtcTicks);
        foreach (var worker in _view.Workers)
        {
            if (!IsEligible(worker, kind.Requirements, now, liveness))
            {
                continue;
            }

            var weight = WeightOf(worker, now);
            var i = kind.Slots.AddWorker(weight, worker.Capacity);
            kind.WorkerIds.Add(worker.WorkerId);
            kind.Index.Add(worker.WorkerId, i);
            kind.Ramping |= weight != worker.Weight;
            kind.StaleAfterTicks = Math.Min(kind.StaleAfterTicks, (worker.LastSeen + liveness).UtcTicks);
            FillRow(kind.Slots, i, worker);
        }
    }

    /// <summary>The weight the forecast gives a worker: its effective (slow-start) weight, else its configured one.</summary>
    private double WeightOf(WorkerSnapshot worker, DateTimeOffset now) =>
        _view.EffectiveWeight(worker.WorkerId, now) is var weight and > 0 ? weight : worker.Weight;

    /// <summary>Sets a worker's running attempts: min(estimated load, capacity) of them, known ends first, the rest never ending.</summary>
    private void FillRow(SlotForecast forecast, int i, WorkerSnapshot worker)
    {
        while (forecast.Running(i) > 0)
        {
            forecast.Finish(i, forecast.ExpectedEndMs(i, forecast.Running(i) - 1));
        }

        var running = Math.Min(_view.EstimatedLoad(worker.WorkerId), worker.Capacity);
        var ends = _endsByWorker.GetValueOrDefault(worker.WorkerId);
        for (var n = 0; n < running; n++)
        {
            forecast.Start(i, ends is not null && n < ends.Count ? ends[n] : double.PositiveInfinity);
        }
    }

    /// <summary>
    /// An attempt in the ledger with what is known of its cost: where, of what job type (null when unknown), its expected
    /// cost (ms at weight 1) and end (ms on the allocator's clock; +∞ unknown), and whether this dispatcher granted it.
    /// </summary>
    private readonly record struct CountedAttempt(string WorkerId, string? JobType, double? ExpectedCostMs, double ExpectedEndMs, bool GrantedHere, int? PayloadSize);

    /// <summary>The kept forecast of one kind of task, with its workers' ids (numbered as in it) and what invalidates it.</summary>
    private sealed class KindForecast(TaskRequirements requirements)
    {
        public TaskRequirements Requirements { get; } = requirements;

        public SlotForecast Slots { get; private set; } = new();

        public List<string> WorkerIds { get; } = [];

        public Dictionary<string, int> Index { get; } = new(StringComparer.Ordinal);

        /// <summary>Workers whose row may be out of date.</summary>
        public HashSet<string> Changed { get; } = new(StringComparer.Ordinal);

        /// <summary>Past this time (UTC ticks) a worker in it may have gone silent for longer than the liveness timeout.</summary>
        public long StaleAfterTicks { get; set; }

        /// <summary>A worker in it ramps up (slow start): its weight holds only at <see cref="BuiltAtTicks"/>.</summary>
        public bool Ramping { get; set; }

        public long BuiltAtTicks { get; private set; }

        public void Reset(long nowTicks)
        {
            Slots = new SlotForecast();
            WorkerIds.Clear();
            Index.Clear();
            Changed.Clear();
            StaleAfterTicks = long.MaxValue;
            Ramping = false;
            BuiltAtTicks = nowTicks;
        }
    }
}
