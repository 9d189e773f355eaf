namespace WorkFleet.Balancing.CostAware;

/// <summary>
/// One dispatcher's waiting tasks and the pass that starts them: the cost-aware strategy's ordering
/// (<see cref="AgingRule"/>) and placement (<see cref="CostAwarePlacement"/>) together. Pure, not thread-safe;
/// several schedulers may share one <see cref="SlotForecast"/> (one per dispatcher, one fleet).
/// </summary>
/// <remarks>
/// <para>
/// A pass (<see cref="Dispatch"/>) runs whenever a slot may have freed or a task arrived, in two phases, and
/// stops as soon as no slot is free:
/// </para>
/// <list type="number">
/// <item>Due tasks (waited past their aging horizon), in dispatch order, each to the fastest free slot. They are
/// never held, and no task that is not due can take a slot before them.</item>
/// <item>Of the first <see cref="MaxScan"/> tasks that are not due, in dispatch order, the one with the least
/// slack decides first (higher priority first): the earliest a − ê / w_max, a being its arrival, ê its expected
/// cost and w_max the fastest weight, i.e. the one that must start soonest on the fastest worker to meet any
/// common latency target. Each starts where it is expected to finish soonest, or is held for a busy faster
/// worker whose next expected end it then claims. Large and long-waiting tasks thus get the fast slots and the
/// slots that free soonest, and a slow worker's free slot goes to a task it finishes about as soon as any
/// other worker would.</item>
/// <item>Tail tasks (see <see cref="TailFactor"/>) decide after every other task of phase 2.</item>
/// </list>
/// <para>
/// The bound of <see cref="AgingRule"/> holds because phase 1 comes first: once task k is due, every task
/// ordered before it is due too (in shortest-first order the key is the due time), so k starts within the
/// first n_k + 1 slots that free, and no task that arrived after k became due starts before it.
/// </para>
/// </remarks>
/// <typeparam name="T">The caller's handle for a task.</typeparam>
public sealed class CostAwareScheduler<T>
{
    /// <summary>The quantile of expected costs that <see cref="TailFactor"/> multiplies: the p99 of task costs.</summary>
    public const double TailQuantile = 0.99;

    /// <summary>The default of <see cref="TailFactor"/> (how it was chosen is said there).</summary>
    public const double DefaultTailFactor = 1.2;

    /// <summary>The default of <see cref="MaxScan"/> (how it was chosen is said there).</summary>
    public const int DefaultMaxScan = 16;

    private readonly SlotForecast _fleet;
    private readonly List<WaitingTask<T>> _window = [];
    private readonly List<WaitingTask<T>> _started = [];
    private readonly Comparison<WaitingTask<T>> _leastSlackFirst;
    private int[] _held = [];
    private double _budgetMs;
    private double _tailMs;

    /// <summary>Creates a scheduler with an empty queue ordered by <paramref name="rule"/>, placing on <paramref name="fleet"/>.</summary>
    public CostAwareScheduler(AgingRule rule, SlotForecast fleet)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        Waiting = new WaitingQueue<T>(rule);
        _fleet = fleet;
        _leastSlackFirst = LeastSlackFirst;
    }

    /// <summary>
    /// Tasks not due that one pass weighs against each other, ≥ 1. Default 16: the simulator measured 8-64 on the
    /// default, sixteen and onefast fleets, cost cv 1-3, seeds 1-5; 16 had the lowest mean p99 on the default fleet at
    /// every cv (0.58x, 0.67x and 0.70x of the shared queue, against 0.59x, 0.68x and 0.71x with 64), within 0.001x of
    /// 64 on sixteen and the same on onefast, while 8 and 12 were 0.01-0.03x worse (a short window forgets urgent
    /// tasks further back). A pass also costs a quarter of what 64 cost.
    /// </summary>
    public int MaxScan { get; init; } = DefaultMaxScan;

    /// <summary>
    /// When false, nothing is ever held and phase 2 runs in dispatch order: the shortest-first shared queue,
    /// placing in the fastest free slot. Default true.
    /// </summary>
    public bool HoldForFasterWorkers { get; init; } = true;

    /// <summary>
    /// The quantile q of expected costs that sets the run-time budget of slow workers: a task that is not due
    /// starts on the slowest free worker that runs it within the q-quantile of expected cost / the fastest weight,
    /// which keeps fast slots for large tasks. In (0, 1), or 0 to turn the budget off. Default 0.9 (the simulator
    /// measured 0.5-0.99: 0.99 sends tasks near the p99 floor to slow workers and raises the p99 where a fast
    /// worker has spare slots; without a budget, with several dispatchers each one's small tasks take fast slots
    /// another's large tasks wait for).
    /// </summary>
    public double BudgetQuantile { get; init; } = 0.9;

    /// <summary>
    /// F: a task whose expected cost exceeds F × the 0.99-quantile of expected costs is a <b>tail task</b>. It runs
    /// longer than the p99 target even on the fastest worker with no wait, so its wait cannot change the p99, while
    /// the fast slot it would take can: until it is due it decides after every other task of the pass, and it
    /// starts only on an idle worker or one that keeps another slot free after it. Once due it is an ordinary due
    /// task, so the aging bound is untouched. 0 turns this off. Default 1.2: the simulator measured 0.8-3 on the
    /// default fleet with one and four dispatchers, cost cv 1-3, seeds 1-5; 1.2 had the lowest mean p99 in four of
    /// the six cases and was within 0.005x of the lowest in the other two (1.5), 1 and 2 were 0.01-0.06x worse, and
    /// 0 (least slack only) 0.02-0.12x worse.
    /// </summary>
    public double TailFactor { get; init; } = DefaultTailFactor;

    /// <summary>Expected costs of the tasks enqueued here, for the budget and the tail.</summary>
    public CostQuantiles Costs { get; } = new();

    /// <summary>The waiting tasks.</summary>
    public WaitingQueue<T> Waiting { get; }

    /// <summary>Adds a waiting task (see <see cref="WaitingQueue{T}.Enqueue"/>).</summary>
    public WaitingTask<T> Enqueue(T item, int priority, double arrivalMs, double? expectedCostMs)
    {
        if (expectedCostMs is { } cost)
        {
            Costs.Record(cost);
        }

        return Waiting.Enqueue(item, priority, arrivalMs, expectedCostMs);
    }

    /// <summary>
    /// Starts what should start now: records each start in the forecast, removes it from the queue and appends it
    /// to <paramref name="started"/>. Returns how many started.
    /// </summary>
    public int Dispatch(double nowMs, List<StartedTask<T>> started)
    {
        ArgumentNullException.ThrowIfNull(started);
        if (_fleet.FreeSlots == 0 || Waiting.Count == 0)
        {
            return 0;
        }

        if (_held.Length < _fleet.Count)
        {
            _held = new int[_fleet.Count];
        }

        Array.Clear(_held);
        _budgetMs = BudgetQuantile > 0 && Costs.Quantile(BudgetQuantile) is { } q ? q / _fleet.FastestWeight : 0;
        _tailMs = TailFactor > 0 && Costs.Quantile(TailQuantile) is { } tail ? TailFactor * tail : double.PositiveInfinity;
        _window.Clear();
        _started.Clear();
        foreach (var task in Waiting)
        {
            if (_fleet.FreeSlots == 0 || _window.Count == MaxScan)
            {
                break;
            }

            if (HoldForFasterWorkers && !task.IsDue(nowMs))
            {
                _window.Add(task);
            }
            else
            {
                TryPlace(task, due: true, nowMs, started);
            }
        }

        if (HoldForFasterWorkers)
        {
            _window.Sort(_leastSlackFirst);
            foreach (var task in _window)
            {
                if (_fleet.FreeSlots == 0)
                {
                    break;
                }

                TryPlace(task, due: false, nowMs, started);
            }
        }

        foreach (var task in _started)
        {
            Waiting.Remove(task);
        }

        return _started.Count;
    }

    private int LeastSlackFirst(WaitingTask<T> x, WaitingTask<T> y) => SlackOrder.Compare(OrderOf(x), OrderOf(y));

    private SlackOrder OrderOf(WaitingTask<T> task) =>
        SlackOrder.Of(task.Priority, task.ArrivalMs, task.ExpectedCostMs, _fleet.FastestWeight, _tailMs, task.Sequence);

    private bool IsTail(WaitingTask<T> task) => task.ExpectedCostMs > _tailMs;

    private void TryPlace(WaitingTask<T> task, bool due, double nowMs, List<StartedTask<T>> started)
    {
        var placement = CostAwarePlacement.Decide(_fleet, task.ExpectedCostMs, due, nowMs, _held, _budgetMs);
        if (!due && placement.Kind == PlacementKind.Start && IsTail(task) && !_fleet.KeepsASlotFree(placement.Worker))
        {
            return;
        }

        if (placement.Kind == PlacementKind.Hold)
        {
            _held[placement.Worker]++;
        }
        else if (placement.Kind == PlacementKind.Start)
        {
            var end = task.ExpectedCostMs is { } cost && cost > 0 ? nowMs + (cost / _fleet.Weight(placement.Worker)) : double.PositiveInfinity;
            _fleet.Start(placement.Worker, end);
            _started.Add(task);
            started.Add(new StartedTask<T>(task.Item, placement.Worker, end));
        }
    }
}
