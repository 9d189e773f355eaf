using WorkFleet.Contracts;
using WorkFleet.Messaging;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>Sends what an <see cref="OutcomeBatcher"/> gathered: one outcome as a plain <see cref="TaskFinished"/>, more as a <see cref="TaskFinishedBatch"/>.</summary>
public static class OutcomeBatchSender
{
    /// <summary>
    /// Sends <paramref name="batch"/> to its reply queue; completes once the broker confirmed it, and fails when it did
    /// not within <paramref name="deadline"/> (<see cref="BrokerConfirmation"/>).
    /// </summary>
    public static async Task SendAsync(OutcomeBatch batch, TimeSpan deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var endpoint = await batch.Sender.GetSendEndpoint(batch.Address);
        if (batch.Outcomes.Count == 1)
        {
            await BrokerConfirmation.WithinAsync(deadline, token => endpoint.Send(batch.Outcomes[0], token), cancellationToken);
        }
        else
        {
            var message = new TaskFinishedBatch { Outcomes = batch.Outcomes };
            await BrokerConfirmation.WithinAsync(deadline, token => endpoint.Send(message, token), cancellationToken);
        }
    }
}
