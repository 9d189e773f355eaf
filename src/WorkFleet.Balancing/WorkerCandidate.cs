namespace WorkFleet.Balancing;

/// <summary>An eligible worker with a free slot, as a strategy sees it.</summary>
/// <param name="Index">Position in the caller's worker list; returned by the strategy.</param>
/// <param name="Weight">
/// Relative speed, &gt; 0. <see cref="FleetView"/> passes the effective weight: the configured one, reduced
/// while the worker is in its slow-start window.
/// </param>
/// <param name="Capacity">Maximum concurrent tasks.</param>
/// <param name="Load">Estimated load q (in-flight + queued, ledger-corrected), below capacity.</param>
/// <param name="EwmaTaskDurationMs">EWMA task run time in milliseconds; 0 when unknown.</param>
/// <param name="WorkerKey">
/// Identity of the worker that stays the same across decisions while <paramref name="Index"/> may not, unique
/// among the candidates of one call. <see cref="FleetView"/> numbers workers 1, 2, 3... in the order it first
/// learns of them (a worker removed and seen again gets a new number). Stateful strategies (round-robin,
/// weighted-round-robin) keep their per-worker state under this key; 0 means "not set", and they then fall
/// back to <paramref name="Index"/>. Set it for all candidates or for none.
/// </param>
public readonly record struct WorkerCandidate(int Index, double Weight, int Capacity, int Load, double EwmaTaskDurationMs, long WorkerKey = 0)
{
    /// <summary>
    /// The key stateful strategies use: <see cref="WorkerKey"/> when set, otherwise one derived from
    /// <see cref="Index"/> in a range no set key can take (keys are positive). Ordered like the keys.
    /// </summary>
    internal long StateKey => WorkerKey != 0 ? WorkerKey : long.MinValue + Index;
}
