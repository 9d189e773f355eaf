using WorkFleet.Contracts;

namespace WorkFleet.Dispatcher.Persistence;

/// <summary>A heartbeat with the dispatcher-clock time it arrived.</summary>
/// <param name="Heartbeat">The message.</param>
/// <param name="ReceivedAt">Dispatcher clock, UTC.</param>
public readonly record struct ReceivedHeartbeat(WorkerHeartbeat Heartbeat, DateTime ReceivedAt);
