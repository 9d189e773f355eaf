namespace WorkFleet.Simulation.Engine;

/// <summary>What happens at a point of simulated time.</summary>
internal enum EventKind
{
    /// <summary>A task arrives at its dispatcher (or the shared queue).</summary>
    Arrival,

    /// <summary>A worker finishes a task; the dispatcher that sent it learns at once.</summary>
    Completion,

    /// <summary>A worker reports its load to every dispatcher.</summary>
    Heartbeat,

    /// <summary>The other dispatchers receive the broadcast of an assignment.</summary>
    AssignmentSeen,

    /// <summary>The other dispatchers receive the broadcast that an attempt ended.</summary>
    CompletionSeen,
}
