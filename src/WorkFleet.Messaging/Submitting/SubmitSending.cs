using MassTransit;
using WorkFleet.Contracts;

namespace WorkFleet.Messaging.Submitting;

/// <summary>Sends many tasks as few submit messages (<see cref="SubmitPacking"/>).</summary>
public static class SubmitSending
{
    /// <summary>
    /// Sends <paramref name="tasks"/> to <paramref name="endpoint"/> packed into messages, one message after the other;
    /// returns when the broker has taken every message. <paramref name="stamp"/> sets what every message carries (its
    /// reply address, headers). A message the broker does not take within <paramref name="confirmTimeout"/> fails the
    /// call with <see cref="SendNotConfirmedException"/>; submitting the same tasks again is safe (the dispatcher
    /// deduplicates by task id).
    /// </summary>
    public static async Task SendPackedAsync(this ISendEndpoint endpoint, IReadOnlyList<SubmitTask> tasks, Action<SendContext>? stamp, TimeSpan confirmTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        foreach (var message in SubmitPacking.Pack(tasks))
        {
            if (message.Count == 1)
            {
                await BrokerConfirmation.WithinAsync(confirmTimeout, token => endpoint.Send(message[0], context => stamp?.Invoke(context), token), cancellationToken);
            }
            else
            {
                var batch = new SubmitTaskBatch { Tasks = message };
                await BrokerConfirmation.WithinAsync(confirmTimeout, token => endpoint.Send(batch, context => stamp?.Invoke(context), token), cancellationToken);
            }
        }
    }
}
