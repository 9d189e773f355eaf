namespace WorkFleet.Simulation;

/// <summary>How dispatchers sharing a fleet learn of each other's work (see <see cref="SimulationScenario.Sharing"/>).</summary>
public enum DispatcherSharing
{
    /// <summary>Assignments and finished attempts are broadcast to every dispatcher (production).</summary>
    Broadcast,

    /// <summary>Only heartbeats carry other dispatchers' work.</summary>
    HeartbeatsOnly,
}
