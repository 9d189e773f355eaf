using System.Text.RegularExpressions;
using WorkFleet.Contracts;

namespace WorkFleet.Messaging.Security;

/// <summary>
/// The broker permissions of each role of the fleet, the one place they are written: the definitions file
/// (<see cref="RabbitMqDefinitions"/>) and the security tests both read them. The patterns follow the
/// topology MassTransit declares: a queue per endpoint with an exchange of the same name bound to it, an
/// exchange per published message type (<c>WorkFleet.Contracts:Name</c>) bound to the queues that consume it,
/// and <c>_error</c>/<c>_skipped</c> queues beside each endpoint. Declaring an entity needs the configure
/// permission even when it exists, and RabbitMQ has no declare-only permission: a role that declares a queue
/// can also delete it (see the README's Security section).
/// </summary>
public static class BrokerRoles
{
    /// <summary>Role name of dispatchers.</summary>
    public const string Dispatcher = "dispatcher";

    /// <summary>Role name of workers.</summary>
    public const string Worker = "worker";

    /// <summary>Role name of producers (clients that submit and cancel tasks and read outcomes).</summary>
    public const string Producer = "producer";

    /// <summary>Role name of operators (the CLI: submit, cancel, drain, error queues).</summary>
    public const string Operator = "operator";

    private const string Contracts = @"WorkFleet\.Contracts:";

    // MassTransit publishes Fault<T> (exchange MassTransit:Fault--T--) when a message ends in an error queue, and
    // ReceiveFault when a message cannot be deserialized at all (a submit that is not JSON); it binds each of those
    // exchanges to MassTransit:Fault, the exchange of their common interface. Nobody here consumes them. Declaring
    // and publishing needs configure and write on all three kinds; the exchange-to-exchange binding needs read on its
    // source. Without them the broker closes the channel of the endpoint that received the bad message.
    private const string Faults = @"MassTransit:(Fault|Fault--.+|ReceiveFault)";

    // The sources a role binds to MassTransit:Fault: ReceiveFault (no message body, only the error) and the faults of
    // the messages the role consumes.
    private const string DispatcherFaultSources = @"MassTransit:(ReceiveFault|Fault--.+)";
    private const string WorkerFaultSources = @"MassTransit:(ReceiveFault|Fault--WorkFleet\.Contracts:(ExecuteTask|CancelTask|DrainWorker)--)";
    private const string WorkerQueues = @"workfleet\.worker\.[A-Za-z0-9_.-]+";
    private const string AnyClientQueue = @"workfleet\.client\.[A-Za-z0-9_.-]+";
    private const string DispatcherQueues = @"workfleet\.(submit|results|cancel)(_error|_skipped|\.in)?|workfleet\.heartbeats\.[A-Za-z0-9_.-]+";
    private const string SubmitExchange = @"workfleet\.submit\.in";
    private const string CancelExchange = @"workfleet\.cancel\.in";
    private const string ResultsExchange = @"workfleet\.results\.in";
    private const string ErrorQueues = @"workfleet\.[A-Za-z0-9_.-]+_(error|skipped)";

    /// <summary>
    /// The roles by name, each as the permissions of one of its users (given the user's name): producers and operators
    /// may only touch their own reply queues (<see cref="QueueNames.ClientPrefixFor"/>).
    /// </summary>
    public static IReadOnlyDictionary<string, Func<string, BrokerPermissions>> All { get; } = new Dictionary<string, Func<string, BrokerPermissions>>(StringComparer.Ordinal)
    {
        // Dispatchers own the submit, results, cancel and peer queues, send to every worker queue (declaring it and its
        // exchange) and delete the queues of workers that left; they publish the fleet's events (among them the
        // worker-facing CancelTask, once a cancel is authorized) and send each outcome to the reply queue of the
        // producer that submitted the task (declaring its exchange, never reading it).
        [Dispatcher] = _ => new(
            Configure: Anchor(DispatcherQueues, WorkerQueues, AnyClientQueue, Contracts + ".+", Faults),
            Write: Anchor(DispatcherQueues, WorkerQueues, AnyClientQueue, Contracts + ".+", Faults),
            Read: Anchor(DispatcherQueues, WorkerQueues, Contracts + ".+", DispatcherFaultSources)),

        // Workers consume their own queue and control queue, send results to the results exchange and publish
        // heartbeats. They cannot publish any other message type, nor touch the submit or peer queues.
        [Worker] = _ => WorkerServing(WorkerQueues),

        // Producers send to the submit and cancel exchanges (never the queues behind them) and read outcomes on their
        // own reply queues only: no message type exchange, so no other producer's outcome and no cancellation of their own.
        [Producer] = user => new(
            Configure: Anchor(SubmitExchange, CancelExchange, OwnClientQueues(user)),
            Write: Anchor(SubmitExchange, CancelExchange, OwnClientQueues(user)),
            Read: Anchor(OwnClientQueues(user))),

        // Operators do what producers do (their cancellations are honoured for any task when they are listed in
        // WorkFleet:Dispatcher:Trust:OperatorUsers), drain workers, and inspect and move error queues back to the
        // queues they failed on through the default exchange (amq.default), which reaches every queue: an operator
        // is trusted as much as a dispatcher.
        [Operator] = user => new(
            Configure: Anchor(SubmitExchange, CancelExchange, OwnClientQueues(user), ErrorQueues, Contracts + "DrainWorker"),
            Write: Anchor(SubmitExchange, CancelExchange, OwnClientQueues(user), ErrorQueues, @"amq\.default", Contracts + "DrainWorker"),
            Read: Anchor(OwnClientQueues(user), ErrorQueues)),
    };

    /// <summary>The permissions of broker user <paramref name="user"/> in role <paramref name="role"/>.</summary>
    /// <exception cref="ArgumentException">No role of that name.</exception>
    public static BrokerPermissions Of(string role, string user)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        return All.TryGetValue(role, out var permissions)
            ? permissions(user)
            : throw new ArgumentException($"Unknown broker role '{role}'; the roles are {string.Join(", ", All.Keys)}.", nameof(role));
    }

    /// <summary>
    /// The permissions of a worker user that serves the one worker <paramref name="workerId"/>: the worker role's,
    /// with only that worker's own queues (<c>workfleet.worker.{id}</c>, its <c>.control</c> queue and their
    /// <c>_error</c>/<c>_skipped</c> queues) instead of every worker's. With a user per worker, a compromised worker
    /// cannot read another worker's tasks.
    /// </summary>
    /// <exception cref="ArgumentException">The id is empty or has characters a queue name of the fleet cannot have.</exception>
    public static BrokerPermissions OfWorker(string workerId)
    {
        if (string.IsNullOrEmpty(workerId) || !Regex.IsMatch(workerId, "^[A-Za-z0-9_.-]+$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
        {
            throw new ArgumentException($"Worker id '{workerId}' must be letters, digits, '.', '_' or '-'.", nameof(workerId));
        }

        return WorkerServing(Regex.Escape(QueueNames.ForWorker(workerId)) + @"(\.control)?(_error|_skipped)?");
    }

    // Workers consume their own queues, send results to the results exchange and publish heartbeats; queues is the
    // pattern of the worker queues the user may use (every worker's, or one worker's).
    private static BrokerPermissions WorkerServing(string queues) => new(
        Configure: Anchor(queues, ResultsExchange, Contracts + "(WorkerHeartbeat|CancelTask|DrainWorker)", Faults),
        Write: Anchor(queues, ResultsExchange, Contracts + "WorkerHeartbeat", Faults),
        Read: Anchor(queues, Contracts + "(CancelTask|DrainWorker)", WorkerFaultSources));

    // The user's reply queues (and their exchanges and _error/_skipped queues); the part after the prefix has no dot,
    // so the pattern of user "a" does not match the queues of user "a.b" (whose prefix is workfleet.client.a_b.).
    private static string OwnClientQueues(string user) => Regex.Escape(QueueNames.ClientPrefixFor(user)) + "[A-Za-z0-9_-]+";

    private static string Anchor(params string[] alternatives) => "^(" + string.Join('|', alternatives) + ")$";
}
