using Microsoft.Extensions.Options;
using WorkFleet.Balancing;
using WorkFleet.Balancing.CostAware;
using WorkFleet.Balancing.Strategies;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Configuration;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>
/// Thread-safe owner of the <see cref="FleetView"/>: hands out worker slots to tasks. A task that finds no
/// free slot waits in a priority-ordered line (higher priority first, then arrival) and is bound to a worker
/// only when a slot frees: late binding, so no worker queue is ever filled beyond its capacity.
/// </summary>
/// <remarks>
/// Several dispatchers sharing a fleet count each other's attempts too: each one's assignments arrive here
/// by broadcast (<see cref="Observe"/>) and leave with the broadcast of their end, so every ledger holds the
/// whole fleet's load within a message's latency, not a heartbeat period. An end may overtake its
/// assignment (they come from different dispatchers), so recently ended attempts are remembered and never
/// counted again; an observed attempt whose end was lost (its dispatcher died in between) is dropped by
/// <see cref="Reconcile"/> against the store. With the <c>cost-aware</c> strategy the line is ordered and placed
/// by expected cost instead (see SlotAllocator.CostAware.cs); every other strategy keeps the line described here.
/// </remarks>
public sealed partial class SlotAllocator(IOptions<DispatcherOptions> options, TimeProvider clock, JobCostEstimates? costs = null)
{
    /// <summary>How many recently ended attempts are remembered (see the remarks).</summary>
    private const int RecentlyEndedLimit = 16_384;

    private readonly Lock _gate = new();
    private readonly FleetView _view = new(StrategyCatalog.Create(ViewStrategy(options.Value.Strategy), Random.Shared), options.Value.LivenessTimeout)
    {
        SlowStartWindow = options.Value.SlowStartWindow,
        Prefetch = PrefetchOf(options.Value),
    };

    private readonly Dictionary<AssignmentKey, (string WorkerId, DateTimeOffset ObservedAt)> _observed = [];
    private readonly HashSet<AssignmentKey> _recentlyEnded = [];
    private readonly HashSet<AssignmentKey> _handedOver = [];
    private readonly Queue<AssignmentKey> _recentlyEndedOrder = new();
    private List<(string WorkerId, AssignmentKey Key)>? _grants;
    private readonly SortedSet<Waiter> _waiters = new(Waiter.Order);

    // How many waiters of each kind (requirements) the line holds: a pass over the line stops once every kind in it
    // found no slot, instead of walking the rest of a long line of one kind on every release.
    private readonly Dictionary<TaskRequirements, int> _waitingKinds = new(TaskRequirementsComparer.Instance);

    // Workers told to drain, with the latest incarnation the drain applies to (a process started later is new).
    private readonly Dictionary<string, DateTimeOffset> _drains = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _startedAt = clock.GetUtcNow();
    private long _arrivals;

    /// <summary>Tasks waiting for a slot now.</summary>
    public int WaitingCount => WaitingLine().Count;

    /// <summary>Tasks waiting for a slot now, and since when the one that has waited longest waits (null: none).</summary>
    public (int Count, DateTimeOffset? OldestSince) WaitingLine()
    {
        lock (_gate)
        {
            DateTimeOffset? oldest = null;
            foreach (var waiter in _waiters)
            {
                oldest = oldest is { } known && known <= waiter.Since ? known : waiter.Since;
            }

            return (_waiters.Count, oldest);
        }
    }

    /// <summary>
    /// Reserves a slot for <paramref name="key"/>: immediately when one is free, otherwise when one frees.
    /// Returns <see cref="SelectionOutcome.NoCapableWorker"/> when, past the start-up grace period, no live
    /// worker can run the task. Cancelling withdraws a waiting task; a granted slot is the caller's to release.
    /// </summary>
    public Task<Selection> AcquireAsync(TaskRequirements requirements, AssignmentKey key, int priority, CancellationToken cancellationToken) =>
        AcquireAsync(requirements, key, priority, expectedCostMs: null, cancellationToken);

    /// <summary>
    /// Like <see cref="AcquireAsync(TaskRequirements, AssignmentKey, int, CancellationToken)"/>, with the producer's cost
    /// hint (ms at weight 1; null for none, then the learned estimate of the job type is used). Only the
    /// <c>cost-aware</c> strategy reads it.
    /// </summary>
    public Task<Selection> AcquireAsync(TaskRequirements requirements, AssignmentKey key, int priority, double? expectedCostMs, CancellationToken cancellationToken) =>
        AcquireAsync(requirements, key, priority, expectedCostMs, payloadSize: null, cancellationToken);

    /// <summary>
    /// Like <see cref="AcquireAsync(TaskRequirements, AssignmentKey, int, double?, CancellationToken)"/>, with the size of
    /// the task's payload (characters of its JSON), which the learned estimate of its job type may follow (see
    /// <see cref="JobCostEstimates"/>) and which an attempt granted here teaches it when it succeeds.
    /// </summary>
    public async Task<Selection> AcquireAsync(TaskRequirements requirements, AssignmentKey key, int priority, double? expectedCostMs, int? payloadSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        cancellationToken.ThrowIfCancellationRequested();
        var waiter = new Waiter(requirements, key, priority, clock.GetUtcNow());
        lock (_gate)
        {
            // Join the line, then let the line move: a task is served in priority order, but one that waits
            // for a busy kind of worker never blocks tasks that other free workers can take.
            waiter.Arrival = _arrivals++;
            if (_costAware is not null)
            {
                waiter.PayloadSize = payloadSize;
                EnterCostAware(waiter, expectedCostMs ?? costs?.ExpectedCostMs(requirements.JobType, payloadSize));
            }

            Enter(waiter);
            Pump();
        }

        await using var registration = cancellationToken.Register(() => Abandon(waiter));
        return await waiter.Completion.Task;
    }

    /// <summary>
    /// Takes the waiting task <paramref name="key"/> out of the line (its acquisition ends cancelled); false when it
    /// does not wait (it was granted a slot, which is then the caller's to release).
    /// </summary>
    public bool Withdraw(AssignmentKey key)
    {
        lock (_gate)
        {
            foreach (var waiter in _waiters)
            {
                if (waiter.Key == key && waiter.Completion.TrySetCanceled())
                {
                    Leave(waiter);
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Records a reservation made elsewhere (e.g. rebuilding the ledger from the store at start).</summary>
    public void Restore(string workerId, AssignmentKey key)
    {
        lock (_gate)
        {
            _view.Ledger.Assign(workerId, key);
            Touch(workerId);
        }
    }

    /// <summary>Frees the slot of a finished or abandoned attempt and lets waiting tasks take it.</summary>
    public bool Release(string workerId, AssignmentKey key)
    {
        lock (_gate)
        {
            var released = Forget(workerId, key);
            if (released)
            {
                Pump();
            }

            return released;
        }
    }

    /// <summary>
    /// Frees the slot of a finished attempt like <see cref="Release"/> and returns the waiting tasks that took
    /// slots on the same worker in that step, for the end broadcast (see <see cref="AttemptEnded.Successors"/>).
    /// </summary>
    public IReadOnlyList<AssignmentKey> ReleaseFinished(string workerId, AssignmentKey key)
    {
        lock (_gate)
        {
            if (!Forget(workerId, key))
            {
                return [];
            }

            _grants = [];
            try
            {
                Pump();
                AssignmentKey[] successors = [.. _grants.Where(g => g.WorkerId == workerId).Select(g => g.Key)];
                _handedOver.UnionWith(successors);
                return successors;
            }
            finally
            {
                _grants = null;
            }
        }
    }

    /// <summary>
    /// True, once, for an attempt that took its slot as a successor of <see cref="ReleaseFinished"/>: the end
    /// broadcast announces it, so its dispatcher does not announce it again.
    /// </summary>
    public bool TakeHandover(AssignmentKey key)
    {
        lock (_gate)
        {
            return _handedOver.Remove(key);
        }
    }

    /// <summary>The attempts this dispatcher counts as its own (not observed from others' broadcasts).</summary>
    public IReadOnlyList<(string WorkerId, AssignmentKey Key)> OwnAssignments()
    {
        lock (_gate)
        {
            return [.. _view.Ledger.All().Where(a => !_observed.ContainsKey(a.Key))];
        }
    }

    /// <summary>
    /// Frees another dispatcher's finished attempt and counts the attempts it put on the slot at once, in one
    /// step (see <see cref="AttemptEnded.Successors"/>).
    /// </summary>
    public void Replace(string workerId, AssignmentKey ended, IReadOnlyList<ObservedAttempt> successors)
    {
        ArgumentNullException.ThrowIfNull(successors);
        lock (_gate)
        {
            foreach (var successor in successors)
            {
                CountObserved(workerId, successor);
            }

            if (Forget(workerId, ended))
            {
                Pump();
            }
        }
    }

    /// <summary>
    /// Counts an attempt another dispatcher sent (its broadcast); ignored when that attempt already ended
    /// here. Returns true when it was counted.
    /// </summary>
    public bool Observe(string workerId, ObservedAttempt attempt)
    {
        lock (_gate)
        {
            return CountObserved(workerId, attempt);
        }
    }

    /// <summary>
    /// Drops observed attempts seen before <paramref name="observedBefore"/> that the store no longer holds
    /// open (their end broadcast was lost). Returns how many were dropped.
    /// </summary>
    public int Reconcile(IReadOnlySet<AssignmentKey> open, DateTimeOffset observedBefore)
    {
        ArgumentNullException.ThrowIfNull(open);
        lock (_gate)
        {
            var stale = _observed.Where(o => o.Value.ObservedAt < observedBefore && !open.Contains(o.Key)).ToList();
            foreach (var (key, (workerId, _)) in stale)
            {
                _observed.Remove(key);
                _view.Ledger.Release(workerId, key);
                ForgetCounted(workerId, key);
            }

            if (stale.Count > 0)
            {
                Pump();
            }

            return stale.Count;
        }
    }

    /// <summary>Applies a heartbeat (or a stored one at start) and lets waiting tasks use any new slots.</summary>
    public bool Apply(WorkerSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        lock (_gate)
        {
            if (_drains.TryGetValue(snapshot.WorkerId, out var drainedUpTo))
            {
                // A heartbeat sent before the worker heard of its drain still says Active: it stays draining.
                if (snapshot.Incarnation <= drainedUpTo)
                {
                    snapshot = snapshot with { IsDraining = true };
                }
                else
                {
                    _drains.Remove(snapshot.WorkerId);
                }
            }

            Touch(snapshot.WorkerId);
            var applied = _view.Apply(snapshot);
            if (applied)
            {
                Pump();
            }

            return applied;
        }
    }

    /// <summary>
    /// From now on the worker receives no new task (a drain began: <see cref="DrainWorker"/>), whatever its
    /// heartbeats still say, until a process of it started after <paramref name="requestedAt"/> reports.
    /// </summary>
    public void RequestDrain(string workerId, DateTimeOffset requestedAt)
    {
        lock (_gate)
        {
            var known = _view.Find(workerId);
            var upTo = known is null ? requestedAt : known.Incarnation;
            if (!_drains.TryGetValue(workerId, out var marked) || marked < upTo)
            {
                _drains[workerId] = upTo;
            }

            _view.MarkDraining(workerId);
            Touch(workerId);
        }
    }

    /// <summary>Withdraws a drain that was never announced; the worker's next heartbeat makes it take tasks again.</summary>
    public void CancelDrain(string workerId)
    {
        lock (_gate)
        {
            _drains.Remove(workerId);
        }
    }

    /// <summary>Whether a drain was requested for the worker's current incarnation.</summary>
    public bool IsDrainRequested(string workerId)
    {
        lock (_gate)
        {
            return _drains.ContainsKey(workerId);
        }
    }

    /// <summary>Forgets a worker that is gone and frees every slot the ledger held on it.</summary>
    public int Remove(string workerId)
    {
        lock (_gate)
        {
            var released = _view.Remove(workerId);
            Touch(workerId);
            foreach (var key in released)
            {
                ForgetCounted(workerId, key);
            }

            Pump();
            return released.Count;
        }
    }

    /// <summary>Re-evaluates waiting tasks; call periodically so liveness and grace periods take effect.</summary>
    public void Tick()
    {
        lock (_gate)
        {
            Pump();
        }
    }

    /// <summary>A consistent copy of the fleet as seen now: snapshot, estimated load, alive.</summary>
    public IReadOnlyList<WorkerView> Snapshot()
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            return [.. _view.Workers.Select(w => new WorkerView(w, _view.EstimatedLoad(w.WorkerId), _view.IsAlive(w, now)))];
        }
    }

    private Selection? TrySelect(Waiter waiter)
    {
        var selection = _view.Select(waiter.Requirements, clock.GetUtcNow());
        switch (selection.Outcome)
        {
            case SelectionOutcome.Selected:
                Grant(waiter, selection.WorkerId!);
                return selection;
            case SelectionOutcome.NoCapableWorker when clock.GetUtcNow() - _startedAt >= options.Value.UnsupportedJobGracePeriod:
                return selection;
            default:
                return null;
        }
    }

    private void Grant(Waiter waiter, string workerId)
    {
        _view.Ledger.Assign(workerId, waiter.Key);
        _grants?.Add((workerId, waiter.Key));
        CountGrant(waiter, workerId);
    }

    private void Pump()
    {
        if (_waiters.Count == 0)
        {
            return;
        }

        if (_costAware is not null)
        {
            PumpCostAware();
            return;
        }

        // A kind of task that found no slot finds none for a later waiter either (a failed selection changes
        // nothing), so the line is walked once per release, not once per waiter and kind.
        List<Waiter>? done = null;
        HashSet<TaskRequirements>? blocked = null;
        foreach (var waiter in _waiters)
        {
            if (blocked?.Contains(waiter.Requirements) == true)
            {
                continue;
            }

            GrantOrBlock(waiter, ref done, ref blocked);
            if (blocked?.Count == _waitingKinds.Count)
            {
                break;
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

    /// <summary>Puts <paramref name="waiter"/> in the line.</summary>
    private void Enter(Waiter waiter)
    {
        _waiters.Add(waiter);
        _waitingKinds[waiter.Requirements] = _waitingKinds.GetValueOrDefault(waiter.Requirements) + 1;
    }

    /// <summary>Takes <paramref name="waiter"/> out of the line.</summary>
    private void Leave(Waiter waiter)
    {
        if (!_waiters.Remove(waiter))
        {
            return;
        }

        var left = _waitingKinds[waiter.Requirements] - 1;
        if (left == 0)
        {
            _waitingKinds.Remove(waiter.Requirements);
        }
        else
        {
            _waitingKinds[waiter.Requirements] = left;
        }
    }

    /// <summary>Counts another dispatcher's attempt unless it already ended here or is counted.</summary>
    private bool CountObserved(string workerId, ObservedAttempt attempt)
    {
        var key = attempt.Key;
        if (_recentlyEnded.Contains(key) || !_view.Ledger.Assign(workerId, key))
        {
            return false;
        }

        _observed[key] = (workerId, clock.GetUtcNow());
        CountObservedCost(workerId, key, attempt.JobType, attempt.ExpectedCostMs);
        return true;
    }

    /// <summary>Takes an ended attempt out of the ledger for good; true when it was counted.</summary>
    private bool Forget(string workerId, AssignmentKey key)
    {
        RememberEnded(key);
        _observed.Remove(key);
        _handedOver.Remove(key);
        ForgetCounted(workerId, key);
        return _view.Ledger.Release(workerId, key);
    }

    private void RememberEnded(AssignmentKey key)
    {
        if (_recentlyEnded.Add(key))
        {
            _recentlyEndedOrder.Enqueue(key);
            if (_recentlyEndedOrder.Count > RecentlyEndedLimit)
            {
                _recentlyEnded.Remove(_recentlyEndedOrder.Dequeue());
            }
        }
    }

    private void Abandon(Waiter waiter)
    {
        // Only a task still waiting is withdrawn. A slot already granted belongs to the caller, who gives
        // it back with Release if it cannot use it; taking it back here too would free it twice.
        lock (_gate)
        {
            if (waiter.Completion.TrySetCanceled())
            {
                Leave(waiter);
            }
        }
    }

    private sealed class Waiter(TaskRequirements requirements, AssignmentKey key, int priority, DateTimeOffset since)
    {
        // OrderKey is 0 for every waiter unless the strategy is cost-aware: then priority, arrival as ever.
        public static readonly IComparer<Waiter> Order = Comparer<Waiter>.Create((a, b) =>
            a.Priority != b.Priority ? b.Priority.CompareTo(a.Priority)
            : a.OrderKey != b.OrderKey ? a.OrderKey.CompareTo(b.OrderKey)
            : a.Arrival.CompareTo(b.Arrival));

        public TaskRequirements Requirements { get; } = requirements;

        public AssignmentKey Key { get; } = key;

        public int Priority { get; } = priority;

        public DateTimeOffset Since { get; } = since;

        public long Arrival { get; set; }

        /// <summary>Cost-aware only: the order within the priority (<see cref="AgingRule.OrderKeyMs"/>); else 0.</summary>
        public double OrderKey { get; set; }

        /// <summary>Cost-aware only: when it joined the line (ms on the allocator's clock).</summary>
        public double ArrivalMs { get; set; }

        /// <summary>Cost-aware only: from this time (ms on the allocator's clock) the task is never held back.</summary>
        public double DueMs { get; set; }

        /// <summary>The expected cost in ms at weight 1 (hint or learned estimate); null when unknown.</summary>
        public double? ExpectedCostMs { get; set; }

        /// <summary>Cost-aware only: the size of the task's payload, when the caller gave it.</summary>
        public int? PayloadSize { get; set; }

        public TaskCompletionSource<Selection> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// Grants <paramref name="waiter"/> a slot when one fits (adding it to <paramref name="done"/>), else marks its
    /// requirements <paramref name="blocked"/> for the rest of this pass over the line.
    /// </summary>
    private void GrantOrBlock(Waiter waiter, ref List<Waiter>? done, ref HashSet<TaskRequirements>? blocked)
    {
        if (TrySelect(waiter) is { } selection)
        {
            (done ??= []).Add(waiter);
            waiter.Completion.TrySetResult(selection);
        }
        else
        {
            (blocked ??= new HashSet<TaskRequirements>(TaskRequirementsComparer.Instance)).Add(waiter.Requirements);
        }
    }
}
