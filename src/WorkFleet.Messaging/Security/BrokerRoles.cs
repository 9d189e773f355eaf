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
    private const string ClientQueues = @"workfleet\.client\.[A-Za-z0-9_.-]+";
    private const string DispatcherQueues = @"workfleet\.(submit|results)(_error|_skipped|\.in)?|workfleet\.heartbeats\.[A-Za-z0-9_.-]+";
    private const string SubmitExchange = @"workfleet\.submit\.in";
    private const string ResultsExchange = @"workfleet\.results\.in";

    /// <summary>The roles by name.</summary>
    public static IReadOnlyDictionary<string, BrokerPermissions> All { get; } = new Dictionary<string, BrokerPermissions>(StringComparer.Ordinal)
    {
        // Dispatchers own the submit, results and peer queues, send to every worker queue (declaring it and its
        // exchange) and delete the queues of workers that left; they publish the fleet's events.
        [Dispatcher] = new(
            Configure: Anchor(DispatcherQueues, WorkerQueues, Contracts + ".+", Faults),
            Write: Anchor(DispatcherQueues, WorkerQueues, Contracts + ".+", Faults),
            Read: Anchor(DispatcherQueues, WorkerQueues, Contracts + ".+", DispatcherFaultSources)),

        // Workers consume their own queue and control queue, send results to the results exchange and publish
        // heartbeats. They cannot publish any other message type, nor touch the submit or peer queues.
        [Worker] = new(
            Configure: Anchor(WorkerQueues, ResultsExchange, Contracts + "(WorkerHeartbeat|CancelTask|DrainWorker)", Faults),
            Write: Anchor(WorkerQueues, ResultsExchange, Contracts + "WorkerHeartbeat", Faults),
            Read: Anchor(WorkerQueues, Contracts + "(CancelTask|DrainWorker)", WorkerFaultSources)),

        // Producers send to the submit exchange (never the queue behind it), publish cancellations, and read outcomes
        // on their own client queues.
        [Producer] = new(
            Configure: Anchor(SubmitExchange, ClientQueues, Contracts + "(CancelTask|TaskFinished)"),
            Write: Anchor(SubmitExchange, ClientQueues, Contracts + "CancelTask"),
            Read: Anchor(ClientQueues, Contracts + "TaskFinished")),

        // Operators do what producers do, drain workers, and inspect and move error queues back to the queues they
        // failed on through the default exchange (amq.default), which reaches every queue: an operator is trusted
        // as much as a dispatcher.
        [Operator] = new(
            Configure: Anchor(SubmitExchange, ClientQueues, @"workfleet\.[A-Za-z0-9_.-]+_(error|skipped)", Contracts + "(CancelTask|DrainWorker|TaskFinished)"),
            Write: Anchor(SubmitExchange, ClientQueues, @"workfleet\.[A-Za-z0-9_.-]+_(error|skipped)", @"amq\.default", Contracts + "(CancelTask|DrainWorker)"),
            Read: Anchor(ClientQueues, @"workfleet\.[A-Za-z0-9_.-]+_(error|skipped)", Contracts + "TaskFinished")),
    };

    /// <summary>The permissions of <paramref name="role"/>.</summary>
    /// <exception cref="ArgumentException">No role of that name.</exception>
    public static BrokerPermissions Of(string role) =>
        All.TryGetValue(role, out var permissions)
            ? permissions
            : throw new ArgumentException($"Unknown broker role '{role}'; the roles are {string.Join(", ", All.Keys)}.", nameof(role));

    private static string Anchor(params string[] alternatives) => "^(" + string.Join('|', alternatives) + ")$";
}
