namespace WorkFleet.Contracts;

/// <summary>
/// How a worker looks from its heartbeats, as the status API, the dashboard, the metrics and the CLI name it.
/// </summary>
public static class WorkerHealth
{
    /// <summary>Heartbeats arrive on time.</summary>
    public const string Live = "live";

    /// <summary>Heartbeats are late; nothing new is dispatched to it.</summary>
    public const string Suspect = "suspect";

    /// <summary>Finishing what it holds; nothing new is dispatched to it.</summary>
    public const string Draining = "draining";

    /// <summary>Silent for longer than the loss timeout; what it held is dispatched again.</summary>
    public const string Lost = "lost";
}
