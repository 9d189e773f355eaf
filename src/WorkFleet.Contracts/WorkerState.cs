using System.Text.Json.Serialization;

namespace WorkFleet.Contracts;

/// <summary>Lifecycle state a worker reports in its heartbeat.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkerState>))]
public enum WorkerState
{
    /// <summary>Accepting new tasks.</summary>
    Active,

    /// <summary>Finishing what it holds; must receive nothing new.</summary>
    Draining,

    /// <summary>Drained and leaving: whatever it still holds can be dispatched elsewhere at once.</summary>
    Stopped,
}
