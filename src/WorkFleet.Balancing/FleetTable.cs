namespace WorkFleet.Balancing;

/// <summary>
/// The storage behind <see cref="FleetView"/>: per worker, in the order first seen, its snapshot, its
/// <see cref="FleetEntry"/> and the <see cref="WorkerCandidate"/> a strategy would see for it now, kept
/// current on every heartbeat and every ledger change. Alongside, counts that tell in O(1) whether every
/// worker is eligible for a requirement: then a selection hands <see cref="Current"/> to the strategy as is.
/// </summary>
internal sealed class FleetTable : ILedgerListener
{
    private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);
    private readonly TaskRequirements[] _profiles = new TaskRequirements[FleetEntry.CachedProfiles];
    private readonly int[] _profileMatches = new int[FleetEntry.CachedProfiles];
    private readonly List<int> _rampingSlots = [];
    private readonly InFlightLedger _ledger;
    private readonly long _slowStartTicks;
    private readonly double _slowStartFloor;
    private int[] _positionOfSlot = new int[16];
    private int _profileCount;
    private int _fullCount;
    private int _drainingCount;
    private long _lastKey;

    public FleetTable(InFlightLedger ledger, TimeSpan slowStartWindow, double slowStartFloor)
    {
        _ledger = ledger;
        _slowStartTicks = slowStartWindow.Ticks;
        _slowStartFloor = slowStartFloor;
        ledger.Listener = this;
    }

    public int Count { get; private set; }

    public WorkerSnapshot[] Snapshots { get; private set; } = new WorkerSnapshot[16];

    public FleetEntry[] Entries { get; private set; } = new FleetEntry[16];

    /// <summary>The candidate per worker: Index = position, effective weight, current load.</summary>
    public WorkerCandidate[] Current { get; private set; } = new WorkerCandidate[16];

    /// <summary>
    /// No worker's heartbeat is older than this (UTC ticks): exact after <see cref="NoteOldestLastSeen"/>, then
    /// only ever lowered, so it may lag behind (too old), never run ahead.
    /// </summary>
    public long OldestLastSeenBound { get; private set; } = long.MaxValue;

    public bool TryGetPosition(string workerId, out int position) => _positions.TryGetValue(workerId, out position);

    /// <summary>True when every worker is live by <see cref="OldestLastSeenBound"/>, has a free slot and meets the profile.</summary>
    public bool AllEligible(int profile, long oldestAliveTicks) =>
        Count > 0 && _fullCount == 0 && _drainingCount == 0 && _profileMatches[profile] == Count
        && OldestLastSeenBound >= oldestAliveTicks;

    /// <summary>Tightens <see cref="OldestLastSeenBound"/> after a scan that saw every worker.</summary>
    public void NoteOldestLastSeen(long oldestLastSeen) => OldestLastSeenBound = oldestLastSeen;

    /// <summary>
    /// Records <paramref name="snapshot"/> (a newer one for a known worker, or a new worker). When
    /// <paramref name="rampStart"/> is set and slow start is on, the worker's weight ramps from then.
    /// </summary>
    public void Apply(WorkerSnapshot snapshot, DateTimeOffset? rampStart)
    {
        if (!_positions.TryGetValue(snapshot.WorkerId, out var position))
        {
            position = Add(snapshot.WorkerId);
        }

        Snapshots[position] = snapshot;
        ref var entry = ref Entries[position];
        _drainingCount += (snapshot.IsDraining ? 1 : 0) - (entry.IsDraining ? 1 : 0);
        entry.IsDraining = snapshot.IsDraining;
        entry.LastSeenUtcTicks = snapshot.LastSeen.UtcTicks;
        OldestLastSeenBound = Math.Min(OldestLastSeenBound, entry.LastSeenUtcTicks);
        entry.Weight = snapshot.Weight;
        entry.ForeignLoad = Math.Max(0, snapshot.ReportedLoad - entry.Outstanding);
        if (rampStart is { } start && _slowStartTicks > 0)
        {
            StartRamp(ref entry, start.UtcTicks);
        }

        // Job types and capabilities may have changed with the heartbeat.
        var matching = 0U;
        for (var p = 0; p < _profileCount; p++)
        {
            if (_profiles[p].IsMetBy(snapshot))
            {
                matching |= 1U << p;
            }
        }

        SetMatching(ref entry, matching);
        Current[position] = new WorkerCandidate(
            position, EffectiveWeight(in entry, entry.LastSeenUtcTicks), snapshot.Capacity,
            entry.Outstanding + entry.ForeignLoad, snapshot.EwmaTaskDurationMs, Current[position].WorkerKey);
        UpdateFull(position);
    }

    /// <summary>Forgets a worker and stops tracking it in the ledger; the others keep their order.</summary>
    public void Remove(string workerId)
    {
        if (!_positions.Remove(workerId, out var position))
        {
            return;
        }

        ref var entry = ref Entries[position];
        _drainingCount -= entry.IsDraining ? 1 : 0;
        _fullCount -= entry.IsFull ? 1 : 0;
        SetMatching(ref entry, 0);
        if (entry.IsRamping)
        {
            _rampingSlots.Remove(entry.LedgerSlot);
        }

        _ledger.Untrack(workerId);
        Count--;
        Array.Copy(Snapshots, position + 1, Snapshots, position, Count - position);
        Array.Copy(Entries, position + 1, Entries, position, Count - position);
        Array.Copy(Current, position + 1, Current, position, Count - position);
        Snapshots[Count] = null!;
        for (var i = position; i < Count; i++)
        {
            _positions[Snapshots[i].WorkerId] = i;
            _positionOfSlot[Entries[i].LedgerSlot] = i;
            Current[i] = Current[i] with { Index = i };
        }
    }

    /// <summary>Starts remembering whether each worker meets <paramref name="requirements"/>; false when full.</summary>
    public bool TryAddProfile(TaskRequirements requirements, out int profile)
    {
        profile = _profileCount;
        if (profile == FleetEntry.CachedProfiles)
        {
            return false;
        }

        _profiles[profile] = requirements;
        _profileCount++;
        for (var i = 0; i < Count; i++)
        {
            if (requirements.IsMetBy(Snapshots[i]))
            {
                SetMatching(ref Entries[i], Entries[i].MatchingProfiles | (1U << profile));
            }
        }

        return true;
    }

    /// <summary>Brings the weights of workers in their slow-start window up to <paramref name="nowTicks"/>.</summary>
    public void RefreshRamps(long nowTicks)
    {
        for (var k = _rampingSlots.Count - 1; k >= 0; k--)
        {
            var position = _positionOfSlot[_rampingSlots[k]];
            ref var entry = ref Entries[position];
            Current[position] = Current[position] with { Weight = EffectiveWeight(in entry, nowTicks) };
            if (nowTicks >= entry.RampEndUtcTicks)
            {
                entry.IsRamping = false;
                _rampingSlots[k] = _rampingSlots[^1];
                _rampingSlots.RemoveAt(_rampingSlots.Count - 1);
            }
        }
    }

    /// <summary>The weight strategies see at <paramref name="nowTicks"/>: configured, reduced during slow start.</summary>
    public double EffectiveWeight(in FleetEntry entry, long nowTicks)
    {
        if (!entry.IsRamping || nowTicks >= entry.RampEndUtcTicks)
        {
            return entry.Weight;
        }

        var elapsed = (double)(nowTicks - entry.RampStartUtcTicks) / _slowStartTicks;
        return entry.Weight * Math.Max(_slowStartFloor, elapsed);
    }

    void ILedgerListener.OnOutstandingChanged(int slot, int outstanding)
    {
        var position = _positionOfSlot[slot];
        Entries[position].Outstanding = outstanding;
        Current[position] = Current[position] with { Load = outstanding + Entries[position].ForeignLoad };
        UpdateFull(position);
    }

    private int Add(string workerId)
    {
        if (Count == Entries.Length)
        {
            Snapshots = Grow(Snapshots);
            Entries = Grow(Entries);
            Current = Grow(Current);
        }

        var position = Count++;
        var slot = _ledger.Track(workerId, out var outstanding);
        if (slot >= _positionOfSlot.Length)
        {
            _positionOfSlot = Grow(_positionOfSlot, slot + 1);
        }

        _positionOfSlot[slot] = position;
        _positions.Add(workerId, position);
        Entries[position] = new FleetEntry { LedgerSlot = slot, Outstanding = outstanding };
        Current[position] = new WorkerCandidate(position, 0, 0, 0, 0, ++_lastKey);
        return position;
    }

    private void StartRamp(ref FleetEntry entry, long startTicks)
    {
        var end = startTicks + Math.Min(_slowStartTicks, long.MaxValue - startTicks);
        if (!entry.IsRamping && end <= entry.LastSeenUtcTicks)
        {
            // Already over (a worker that has run for longer than the window): nothing to ramp.
            return;
        }

        entry.RampStartUtcTicks = startTicks;
        entry.RampEndUtcTicks = end;
        if (!entry.IsRamping)
        {
            entry.IsRamping = true;
            _rampingSlots.Add(entry.LedgerSlot);
        }
    }

    private void UpdateFull(int position)
    {
        ref var entry = ref Entries[position];
        var isFull = Current[position].Load >= Current[position].Capacity;
        _fullCount += (isFull ? 1 : 0) - (entry.IsFull ? 1 : 0);
        entry.IsFull = isFull;
    }

    private void SetMatching(ref FleetEntry entry, uint matching)
    {
        var changed = entry.MatchingProfiles ^ matching;
        for (var p = 0; changed != 0; p++, changed >>= 1)
        {
            if ((changed & 1) != 0)
            {
                _profileMatches[p] += (matching & (1U << p)) != 0 ? 1 : -1;
            }
        }

        entry.MatchingProfiles = matching;
    }

    private static T[] Grow<T>(T[] array, int atLeast = 0)
    {
        Array.Resize(ref array, Math.Max(array.Length * 2, atLeast));
        return array;
    }
}
