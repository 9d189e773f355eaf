using WorkFleet.Contracts;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>Sends what an <see cref="OutcomeBatcher"/> gathered: one outcome as a plain <see cref="TaskFinished"/>, more as a <see cref="TaskFinishedBatch"/>.</summary>
public static class OutcomeBatchSender
{
    /// <summary>Sends <paramref name="batch"/> to its reply queue; completes once the broker confirmed it.</summary>
    public static async Task SendAsync(OutcomeBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var endpoint = await batch.Sender.GetSendEndpoint(batch.Address);
        if (batch.Outcomes.Count == 1)
        {
            await endpoint.Send(batch.Outcomes[0], cancellationToken);
        }
        else
        {
            await endpoint.Send(new TaskFinishedBatch { Outcomes = batch.Outcomes }, cancellationToken);
        }
    }
}
