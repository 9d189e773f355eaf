using System.Diagnostics;

namespace WorkFleet.Messaging.Telemetry;

/// <summary>
/// The fleet's own spans (activity source <c>WorkFleet</c>): the dispatcher's send of an attempt and the worker's job
/// run. MassTransit's (<c>MassTransit</c>), Npgsql's and ASP.NET Core's spans come from their own sources.
/// </summary>
public static class WorkFleetActivities
{
    /// <summary>The activity source name to subscribe to.</summary>
    public const string SourceName = "WorkFleet";

    /// <summary>Span attribute: the task id.</summary>
    public const string TaskId = "workfleet.task.id";

    /// <summary>Span attribute: the attempt number.</summary>
    public const string Attempt = "workfleet.task.attempt";

    /// <summary>Span attribute: the job type.</summary>
    public const string JobType = "workfleet.job.type";

    /// <summary>Span attribute: the worker the attempt runs on.</summary>
    public const string WorkerId = "workfleet.worker.id";

    /// <summary>Span attribute: how many tasks ran in the job's batch (1 when it ran alone).</summary>
    public const string BatchSize = "workfleet.job.batch_size";

    /// <summary>The source of the fleet's own spans.</summary>
    public static ActivitySource Source { get; } = new(SourceName);
}
