namespace WorkFleet.Balancing;

/// <summary>
/// What a <see cref="FleetTable"/> keeps per worker besides its snapshot and its current
/// <see cref="WorkerCandidate"/>: the fields eligibility is decided on, copied out of the snapshot, and the
/// parts of the load estimate.
/// </summary>
internal struct FleetEntry
{
    /// <summary>How many distinct requirements can have their match kept per worker (bits of the mask).</summary>
    public const int CachedProfiles = 32;

    /// <summary><see cref="WorkerSnapshot.LastSeen"/> in UTC ticks.</summary>
    public long LastSeenUtcTicks;

    /// <summary>Configured weight, before slow start.</summary>
    public double Weight;

    /// <summary>Start of the slow-start ramp (UTC ticks), when <see cref="IsRamping"/>.</summary>
    public long RampStartUtcTicks;

    /// <summary>End of the slow-start ramp (UTC ticks), when <see cref="IsRamping"/>.</summary>
    public long RampEndUtcTicks;

    /// <summary>Where the ledger's notifications for this worker point.</summary>
    public int LedgerSlot;

    /// <summary>This dispatcher's outstanding assignments on the worker.</summary>
    public int Outstanding;

    /// <summary>max(0, reported load − ledger outstanding at the heartbeat).</summary>
    public int ForeignLoad;

    /// <summary>Bit p set: the worker meets requirement profile p.</summary>
    public uint MatchingProfiles;

    public bool IsDraining;

    /// <summary>Load has reached capacity.</summary>
    public bool IsFull;

    /// <summary>In its slow-start window (listed for weight refreshes).</summary>
    public bool IsRamping;

    public readonly bool IsLive(long oldestAliveTicks) => !IsDraining && LastSeenUtcTicks >= oldestAliveTicks;

    public readonly bool Meets(int profile) => (MatchingProfiles & (1U << profile)) != 0;
}
