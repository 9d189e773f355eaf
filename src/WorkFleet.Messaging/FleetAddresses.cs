using WorkFleet.Contracts;
using WorkFleet.Messaging.Configuration;

namespace WorkFleet.Messaging;

/// <summary>
/// Where producers send tasks and workers send results. On RabbitMQ these are the inbound exchanges the dispatchers
/// bind to their queues (<see cref="QueueNames.SubmitExchange"/>, <see cref="QueueNames.ResultsExchange"/>): a sender
/// declares and writes only the exchange, never the queue behind it. In memory, the queues themselves.
/// </summary>
public static class FleetAddresses
{
    private static readonly Uri SubmitExchange = new($"exchange:{QueueNames.SubmitExchange}");
    private static readonly Uri ResultsExchange = new($"exchange:{QueueNames.ResultsExchange}");
    private static readonly Uri CancelExchange = new($"exchange:{QueueNames.CancelExchange}");
    private static readonly Uri CancelQueue = new($"queue:{QueueNames.Cancel}");
    private static readonly Uri SubmitQueue = new($"queue:{QueueNames.Submit}");
    private static readonly Uri ResultsQueue = new($"queue:{QueueNames.Results}");

    /// <summary>Where <see cref="SubmitTask"/> goes on <paramref name="transport"/>.</summary>
    public static Uri Submit(TransportOptions transport) => IsRabbitMq(transport) ? SubmitExchange : SubmitQueue;

    /// <summary>Where workers' results go on <paramref name="transport"/>.</summary>
    public static Uri Results(TransportOptions transport) => IsRabbitMq(transport) ? ResultsExchange : ResultsQueue;

    /// <summary>Where producers and operators send <see cref="CancelTask"/> on <paramref name="transport"/>.</summary>
    public static Uri Cancel(TransportOptions transport) => IsRabbitMq(transport) ? CancelExchange : CancelQueue;

    private static bool IsRabbitMq(TransportOptions transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        return transport.Kind == TransportKind.RabbitMq;
    }
}
