namespace WorkFleet.Contracts;

/// <summary>Queue names that are part of the public wire protocol.</summary>
public static class QueueNames
{
    /// <summary>Where producers send <see cref="SubmitTask"/>.</summary>
    public const string Submit = "workfleet.submit";

    /// <summary>Where workers publish heartbeats and results for the dispatcher.</summary>
    public const string Heartbeats = "workfleet.heartbeats";

    /// <summary>Where workers send task results for the dispatcher.</summary>
    public const string Results = "workfleet.results";

    /// <summary>
    /// The exchange producers send <see cref="SubmitTask"/> to on RabbitMQ, bound to <see cref="Submit"/> by the
    /// dispatchers. Apart from the queue's name, so that the right to send a task is not the right to read or
    /// delete the queue (RabbitMQ's permissions name resources, not their kind).
    /// </summary>
    public const string SubmitExchange = "workfleet.submit.in";

    /// <summary>The exchange workers send results to on RabbitMQ, bound to <see cref="Results"/> by the dispatchers.</summary>
    public const string ResultsExchange = "workfleet.results.in";

    /// <summary>Prefix of each worker's own queue.</summary>
    public const string WorkerPrefix = "workfleet.worker.";

    /// <summary>The queue of the worker with id <paramref name="workerId"/>.</summary>
    public static string ForWorker(string workerId) => WorkerPrefix + workerId;
}
