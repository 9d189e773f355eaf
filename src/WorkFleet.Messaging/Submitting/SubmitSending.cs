using MassTransit;
using WorkFleet.Contracts;

namespace WorkFleet.Messaging.Submitting;

/// <summary>Sends many tasks as few submit messages (<see cref="SubmitPacking"/>).</summary>
public static class SubmitSending
{
    /// <summary>
    /// Sends <paramref name="tasks"/> to <paramref name="endpoint"/> packed into messages, one message after the other;
    /// returns when the broker has taken every message. <paramref name="stamp"/> sets what every message carries (its
    /// reply address, headers).
    /// </summary>
    public static async Task SendPackedAsync(this ISendEndpoint endpoint, IReadOnlyList<SubmitTask> tasks, Action<SendContext>? stamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        foreach (var message in SubmitPacking.Pack(tasks))
        {
            if (message.Count == 1)
            {
                await endpoint.Send(message[0], context => stamp?.Invoke(context), cancellationToken);
            }
            else
            {
                await endpoint.Send(new SubmitTaskBatch { Tasks = message }, context => stamp?.Invoke(context), cancellationToken);
            }
        }
    }
}
