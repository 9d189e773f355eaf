using MassTransit;
using MassTransit.Context;

namespace WorkFleet.Dispatcher.Consumers;

/// <summary>
/// A consume context whose cancellation token is the delivery's watch token (<see cref="DeliveryWatch"/>), and whose
/// consumer faults make no <c>Fault&lt;T&gt;</c> message.
/// </summary>
/// <remarks>
/// MassTransit answers a consumer's exception with a <c>Fault&lt;T&gt;</c> sent to the message's fault or response
/// address, both chosen by whoever sent the message: a producer could aim the dispatcher at any queue it may write (a
/// worker's, say), and the send made the submit endpoint fault and restart over and over. No WorkFleet client reads
/// such faults; the message goes to its endpoint's <c>_error</c> queue with the exception in its headers, where
/// <c>workfleet errors</c> shows it, and receive observers still hear of the fault.
/// </remarks>
internal sealed class WatchedConsumeContext(ConsumeContext context, CancellationToken token) : ConsumeContextProxy(context)
{
    /// <inheritdoc />
    public override CancellationToken CancellationToken => token;

    /// <inheritdoc />
    public override Task NotifyFaulted<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) =>
        ReceiveContext.NotifyFaulted(context, duration, consumerType, exception);
}
