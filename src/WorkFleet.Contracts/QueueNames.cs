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

    /// <summary>
    /// The queue from which dispatchers take cancellation requests (<see cref="CancelTask"/>), checked against who
    /// submitted the task before anything changes. Apart from <see cref="Submit"/> so that a cancel does not wait
    /// behind the submit backlog.
    /// </summary>
    public const string Cancel = "workfleet.cancel";

    /// <summary>The exchange producers send <see cref="CancelTask"/> to on RabbitMQ, bound to <see cref="Cancel"/> by the dispatchers.</summary>
    public const string CancelExchange = "workfleet.cancel.in";

    /// <summary>
    /// Prefix of producers' own reply queues, <c>workfleet.client.{user}.{instance}</c>, to which the dispatcher sends
    /// <see cref="TaskFinished"/> of the tasks they submitted.
    /// </summary>
    public const string ClientPrefix = "workfleet.client.";

    /// <summary>
    /// The prefix of the reply queues of broker user <paramref name="user"/>: <see cref="ClientPrefix"/>, the user with
    /// every character other than a letter, digit, <c>-</c> or <c>_</c> replaced by <c>_</c>, and a dot. The part after
    /// it has no dot, so one user's prefix never starts another's queue names.
    /// </summary>
    public static string ClientPrefixFor(string user)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        return ClientPrefix + NamePart(user) + ".";
    }

    /// <summary><paramref name="value"/> made fit for one dot-free part of a queue name (letters, digits, <c>-</c>, <c>_</c>).</summary>
    public static string NamePart(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return string.Create(value.Length, value, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_';
            }
        });
    }

    /// <summary>Prefix of each worker's own queue.</summary>
    public const string WorkerPrefix = "workfleet.worker.";

    /// <summary>The queue of the worker with id <paramref name="workerId"/>.</summary>
    public static string ForWorker(string workerId) => WorkerPrefix + workerId;
}
