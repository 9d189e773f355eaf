using WorkFleet.Balancing;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>One worker as the dispatcher sees it now.</summary>
/// <param name="Snapshot">Latest heartbeat.</param>
/// <param name="EstimatedLoad">Ledger-corrected load q.</param>
/// <param name="IsAlive">Heartbeat recent enough.</param>
public sealed record WorkerView(WorkerSnapshot Snapshot, int EstimatedLoad, bool IsAlive);
