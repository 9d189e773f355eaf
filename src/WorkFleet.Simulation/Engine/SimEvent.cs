namespace WorkFleet.Simulation.Engine;

/// <summary>One scheduled event; a struct, so the event queue does not allocate per event.</summary>
/// <param name="Kind">What happens.</param>
/// <param name="Worker">The worker concerned, or -1.</param>
/// <param name="Task">The task concerned, or -1.</param>
internal readonly record struct SimEvent(EventKind Kind, int Worker, int Task);
