namespace WorkFleet.Balancing;

/// <summary>An eligible worker with a free slot, as a strategy sees it.</summary>
/// <param name="Index">Position in the caller's worker list; returned by the strategy.</param>
/// <param name="Weight">Relative speed, &gt; 0.</param>
/// <param name="Capacity">Maximum concurrent tasks.</param>
/// <param name="Load">Estimated load q (in-flight + queued, ledger-corrected), below capacity.</param>
/// <param name="EwmaTaskDurationMs">EWMA task run time in milliseconds; 0 when unknown.</param>
public readonly record struct WorkerCandidate(int Index, double Weight, int Capacity, int Load, double EwmaTaskDurationMs);
