using WorkFleet.Balancing.Strategies;

namespace WorkFleet.Balancing;

/// <summary>
/// The dispatcher's picture of the fleet: the latest heartbeat per worker plus its own ledger of
/// assignments, and the rule that turns both into a choice. Pure and not thread-safe: the caller serializes
/// access (one lock around select + assign keeps two concurrent dispatches from taking the same slot).
/// </summary>
/// <remarks>
/// <para>
/// Estimated load q = ledger outstanding + foreign load, where foreign load = max(0, reported − ledger
/// outstanding at the heartbeat). The ledger counts what this dispatcher sent and has not seen finish
/// (including messages still in transit, which no heartbeat can see); the foreign part keeps work that
/// other dispatchers (or a previous incarnation) assigned, as last reported.
/// </para>
/// <para>
/// Cost: the view keeps, per worker, the <see cref="WorkerCandidate"/> a strategy would see, current after
/// every heartbeat and every ledger change, and counts of full, draining and incapable workers. When every
/// worker is eligible (the usual state of a healthy fleet that is not saturated) a selection hands that
/// array to the strategy as is: the cost is the strategy's own pass. Otherwise it copies the eligible ones
/// first. An <see cref="ISamplingStrategy"/> (power of two choices) skips both: see <see cref="Select"/>.
/// No selection allocates.
/// </para>
/// </remarks>
public sealed class FleetView
{
    /// <summary>Random draws per sampled decision before giving up and scanning, per wanted candidate.</summary>
    private const int DrawsPerSample = 8;

    private readonly ILoadBalancingStrategy _strategy;
    private readonly TimeSpan _livenessTimeout;
    private readonly Dictionary<TaskRequirements, int> _profiles = new(TaskRequirementsComparer.Instance);
    private readonly TimeSpan _slowStartWindow;
    private readonly double _slowStartMinimumWeightFraction = 0.1;
    private readonly ShortTaskPrefetch _prefetch;
    private FleetTable? _table;
    private WorkerCandidate[] _candidates = new WorkerCandidate[16];

    /// <summary>Creates an empty view.</summary>
    /// <param name="strategy">Decides among eligible workers; stateful ones must not be shared between views.</param>
    /// <param name="livenessTimeout">How long after its last heartbeat a worker still counts as alive.</param>
    public FleetView(ILoadBalancingStrategy strategy, TimeSpan livenessTimeout)
    {
        ArgumentNullException.ThrowIfNull(strategy);
        _strategy = strategy;
        _livenessTimeout = livenessTimeout;
    }

    /// <summary>Assignments this dispatcher made and has not yet seen finish.</summary>
    public InFlightLedger Ledger { get; } = new();

    /// <summary>The strategy that decides among eligible workers.</summary>
    public ILoadBalancingStrategy Strategy => _strategy;

    /// <summary>How long after its last heartbeat a worker still counts as alive.</summary>
    public TimeSpan LivenessTimeout => _livenessTimeout;

    /// <summary>
    /// Slow start: how long a new worker's effective weight takes to ramp linearly from
    /// <see cref="SlowStartMinimumWeightFraction"/> of its weight up to all of it, as Envoy's and HAProxy's
    /// slow start do, so a worker that just came up (cold caches, JIT, connection pools) is not handed a
    /// full share at once. Default <see cref="TimeSpan.Zero"/>: off.
    /// </summary>
    /// <remarks>
    /// The ramp starts at the worker's <see cref="WorkerSnapshot.Incarnation"/> (its process start, so a
    /// dispatcher that restarts does not throttle workers that have run for hours; a skew between the two
    /// clocks shifts the ramp by as much), or at the heartbeat that brings back a worker that had been silent
    /// longer than <see cref="LivenessTimeout"/>. The weight a strategy sees is the effective one, so every
    /// weight-aware strategy ramps; load-only ones (round-robin, random, least-connections) do not.
    /// </remarks>
    public TimeSpan SlowStartWindow
    {
        get => _slowStartWindow;
        init => _slowStartWindow = value >= TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "SlowStartWindow must not be negative.");
    }

    /// <summary>
    /// Share of its weight a worker gets at the very start of its slow-start window, in (0, 1]. Default 0.1
    /// (Envoy's default minimum weight percent is 10).
    /// </summary>
    public double SlowStartMinimumWeightFraction
    {
        get => _slowStartMinimumWeightFraction;
        init => _slowStartMinimumWeightFraction = value is > 0 and <= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "SlowStartMinimumWeightFraction must be in (0, 1].");
    }

    /// <summary>
    /// Attempts beyond its capacity a worker of short tasks may hold when no eligible worker has a free slot (see
    /// <see cref="ShortTaskPrefetch"/>). Default <see cref="ShortTaskPrefetch.Off"/>: strict late binding.
    /// </summary>
    public ShortTaskPrefetch Prefetch
    {
        get => _prefetch;
        init => _prefetch = value.Validated();
    }

    /// <summary>The latest snapshot of every known worker, in the order they were first seen.</summary>
    public IEnumerable<WorkerSnapshot> Workers
    {
        get
        {
            for (var i = 0; i < Table.Count; i++)
            {
                yield return Table.Snapshots[i];
            }
        }
    }

    // Created on first use, when the init-only slow-start settings are final.
    private FleetTable Table => _table ??= new FleetTable(Ledger, _slowStartWindow, _slowStartMinimumWeightFraction);

    /// <summary>
    /// Applies a heartbeat. Returns false (and changes nothing) when it is older than what is known for the
    /// same worker incarnation.
    /// </summary>
    public bool Apply(WorkerSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        DateTimeOffset? rampStart = snapshot.Incarnation;
        if (Table.TryGetPosition(snapshot.WorkerId, out var position))
        {
            var known = Table.Snapshots[position];
            if (snapshot.Incarnation < known.Incarnation
                || (snapshot.Incarnation == known.Incarnation && snapshot.Sequence <= known.Sequence))
            {
                return false;
            }

            // A new process ramps from its start; the same one back from silence ramps from its return.
            rampStart = snapshot.Incarnation != known.Incarnation ? snapshot.Incarnation
                : snapshot.LastSeen - known.LastSeen > _livenessTimeout ? snapshot.LastSeen
                : null;
        }

        Table.Apply(snapshot, rampStart);
        return true;
    }

    /// <summary>
    /// Marks a known worker draining at once, before its own heartbeat says so: it receives nothing new.
    /// Returns false for an unknown worker.
    /// </summary>
    public bool MarkDraining(string workerId)
    {
        if (Find(workerId) is not { } known)
        {
            return false;
        }

        if (!known.IsDraining)
        {
            Table.Apply(known with { IsDraining = true }, rampStart: null);
        }

        return true;
    }

    /// <summary>Forgets a worker (it left for good); its ledger entries are returned to the caller.</summary>
    public IReadOnlyList<AssignmentKey> Remove(string workerId)
    {
        Table.Remove(workerId);
        return Ledger.ReleaseAll(workerId);
    }

    /// <summary>The snapshot of a worker, if known.</summary>
    public WorkerSnapshot? Find(string workerId) => Table.TryGetPosition(workerId, out var i) ? Table.Snapshots[i] : null;

    /// <summary>Estimated load q of a worker (see the class remarks).</summary>
    public int EstimatedLoad(string workerId) =>
        Table.TryGetPosition(workerId, out var i) ? Table.Current[i].Load : Ledger.Outstanding(workerId);

    /// <summary>
    /// The weight strategies see for a worker at <paramref name="now"/>: its configured weight, reduced while
    /// it is in its slow-start window (see <see cref="SlowStartWindow"/>); 0 for an unknown worker.
    /// </summary>
    public double EffectiveWeight(string workerId, DateTimeOffset now) =>
        Table.TryGetPosition(workerId, out var i) ? Table.EffectiveWeight(in Table.Entries[i], now.UtcTicks) : 0;

    /// <summary>True when the worker's last heartbeat is recent enough at <paramref name="now"/>.</summary>
    public bool IsAlive(WorkerSnapshot worker, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(worker);
        return now - worker.LastSeen <= _livenessTimeout;
    }

    /// <summary>
    /// Chooses a worker for a task: eligible = alive, not draining, meets the requirements, and estimated
    /// load below capacity; among those the strategy decides. When none has a free slot, the workers
    /// <see cref="Prefetch"/> admits are the candidates instead. Does not record the assignment: call
    /// <see cref="InFlightLedger.Assign"/> on <see cref="Ledger"/> under the same lock.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Three paths, all choosing from the same candidates. When every worker is eligible, the strategy gets
    /// the view's own candidate array without a copy. Otherwise the view scans every worker and copies the
    /// eligible ones; that scan also yields the precise <see cref="SelectionOutcome"/> when there are none.
    /// </para>
    /// <para>
    /// With an <see cref="ISamplingStrategy"/> and more than 8 × <see cref="ISamplingStrategy.SampleSize"/>
    /// workers, the view first draws random workers and checks only those, up to 8 draws per wanted
    /// candidate; when that finds <see cref="ISamplingStrategy.SampleSize"/> distinct eligible ones the
    /// strategy chooses among them, and the cost no longer grows with the fleet. When the draws come up
    /// short (a mostly full or mostly incapable fleet) it falls back to the scan.
    /// </para>
    /// <para>
    /// Slow-start weights are brought up to <paramref name="now"/> on each call, so calls are expected in
    /// time order.
    /// </para>
    /// </remarks>
    public Selection Select(TaskRequirements requirements, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        var table = Table;
        var profile = ProfileOf(requirements);
        var nowTicks = now.UtcTicks;
        var oldestAliveTicks = nowTicks - _livenessTimeout.Ticks;
        table.RefreshRamps(nowTicks);
        if (_strategy is ISamplingStrategy sampling
            && table.Count > DrawsPerSample * sampling.SampleSize
            && TrySample(sampling, requirements, profile, oldestAliveTicks) is var sampled and > 0)
        {
            return Choose(_candidates, sampled);
        }

        if (profile >= 0 && table.AllEligible(profile, oldestAliveTicks))
        {
            return Choose(table.Current, table.Count);
        }

        var count = Collect(requirements, profile, oldestAliveTicks);
        if (count > 0)
        {
            return Choose(_candidates, count);
        }

        var outcome = Diagnose(requirements, profile, oldestAliveTicks);
        return outcome == SelectionOutcome.NoFreeSlot && _prefetch.IsOn && CollectPrefetching(requirements, profile, oldestAliveTicks) is var ahead and > 0
            ? Choose(_candidates, ahead)
            : new Selection(outcome, null);
    }

    private Selection Choose(WorkerCandidate[] candidates, int count)
    {
        var chosen = _strategy.Select(candidates.AsSpan(0, count));
        if ((uint)chosen >= (uint)count)
        {
            throw new InvalidOperationException($"Strategy '{_strategy.Name}' chose {chosen} among {count} candidates.");
        }

        return new Selection(SelectionOutcome.Selected, Table.Snapshots[candidates[chosen].Index].WorkerId);
    }

    /// <summary>The full scan: copies every eligible worker's candidate to the buffer; returns how many.</summary>
    private int Collect(TaskRequirements requirements, int profile, long oldestAliveTicks)
    {
        var table = Table;
        if (_candidates.Length < table.Count)
        {
            _candidates = new WorkerCandidate[table.Entries.Length];
        }

        var entries = table.Entries.AsSpan(0, table.Count);
        var current = table.Current.AsSpan(0, entries.Length);
        var candidates = _candidates.AsSpan(0, entries.Length);
        var count = 0;
        var oldestLastSeen = long.MaxValue;
        for (var i = 0; i < entries.Length; i++)
        {
            ref readonly var entry = ref entries[i];
            oldestLastSeen = Math.Min(oldestLastSeen, entry.LastSeenUtcTicks);
            if (!entry.IsFull && entry.IsLive(oldestAliveTicks) && Meets(in entry, i, requirements, profile))
            {
                candidates[count++] = current[i];
            }
        }

        // This scan saw every worker, so the liveness bound is exact again (see FleetTable.AllEligible).
        table.NoteOldestLastSeen(oldestLastSeen);
        return count;
    }

    /// <summary>
    /// When no worker has a free slot: copies every live, capable worker that <see cref="Prefetch"/> admits to the
    /// buffer; returns how many.
    /// </summary>
    private int CollectPrefetching(TaskRequirements requirements, int profile, long oldestAliveTicks)
    {
        var table = Table;
        var count = 0;
        for (var i = 0; i < table.Count; i++)
        {
            ref readonly var entry = ref table.Entries[i];
            if (entry.IsLive(oldestAliveTicks) && _prefetch.Admits(in table.Current[i]) && Meets(in entry, i, requirements, profile))
            {
                _candidates[count++] = table.Current[i];
            }
        }

        return count;
    }

    /// <summary>Why no worker is eligible: none live, none of the live ones capable, or no free slot.</summary>
    private SelectionOutcome Diagnose(TaskRequirements requirements, int profile, long oldestAliveTicks)
    {
        var table = Table;
        var outcome = SelectionOutcome.NoLiveWorker;
        for (var i = 0; i < table.Count; i++)
        {
            ref readonly var entry = ref table.Entries[i];
            if (entry.IsLive(oldestAliveTicks))
            {
                if (Meets(in entry, i, requirements, profile))
                {
                    return SelectionOutcome.NoFreeSlot;
                }

                outcome = SelectionOutcome.NoCapableWorker;
            }
        }

        return outcome;
    }

    /// <summary>
    /// Fills the candidate buffer with <see cref="ISamplingStrategy.SampleSize"/> distinct eligible workers
    /// drawn uniformly; returns how many (0 when the draws ran out first).
    /// </summary>
    private int TrySample(ISamplingStrategy sampling, TaskRequirements requirements, int profile, long oldestAliveTicks)
    {
        var table = Table;
        var wanted = sampling.SampleSize;
        if (_candidates.Length < wanted)
        {
            _candidates = new WorkerCandidate[wanted];
        }

        var count = 0;
        for (var draw = 0; draw < DrawsPerSample * wanted; draw++)
        {
            var i = sampling.Random.Next(table.Count);
            ref readonly var entry = ref table.Entries[i];
            if (entry.IsFull || !entry.IsLive(oldestAliveTicks) || !Meets(in entry, i, requirements, profile) || IsDrawn(i, count))
            {
                continue;
            }

            _candidates[count++] = table.Current[i];
            if (count == wanted)
            {
                return count;
            }
        }

        return 0;
    }

    private bool IsDrawn(int index, int count)
    {
        for (var k = 0; k < count; k++)
        {
            if (_candidates[k].Index == index)
            {
                return true;
            }
        }

        return false;
    }

    private bool Meets(in FleetEntry entry, int position, TaskRequirements requirements, int profile) =>
        profile >= 0 ? entry.Meets(profile) : requirements.IsMetBy(Table.Snapshots[position]);

    /// <summary>
    /// A small id for a requirement seen before, whose match the table keeps per worker; -1 once
    /// <see cref="FleetEntry.CachedProfiles"/> distinct requirements are known (then checked every time).
    /// </summary>
    private int ProfileOf(TaskRequirements requirements)
    {
        if (_profiles.TryGetValue(requirements, out var profile))
        {
            return profile;
        }

        if (_profiles.Count == FleetEntry.CachedProfiles)
        {
            return -1;
        }

        // A private copy: the caller's capability list could change after this call.
        var copy = new TaskRequirements(requirements.JobType, [.. requirements.Capabilities]);
        if (!Table.TryAddProfile(copy, out profile))
        {
            return -1;
        }

        _profiles.Add(copy, profile);
        return profile;
    }
}
