using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using MassTransit;
using MassTransit.RabbitMqTransport;
using Microsoft.Extensions.Options;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Messaging;
using WorkFleet.Messaging.Coalescing;
using WorkFleet.Messaging.Configuration;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>
/// Sends attempts to workers' queues, one message at a time per worker: attempts granted to a worker while its
/// previous message is on its way go together in one <see cref="ExecuteTaskBatch"/> (<see cref="SendCoalescer{T}"/>;
/// at most 64 attempts and, past the first, 256 KiB of payload), so a busy worker's freed slots cost one message, not
/// one each. A lone attempt goes as the plain <see cref="ExecuteTask"/>. Every message must land in the worker's queue:
/// if that queue is gone (its worker was declared lost and the queue deleted, while a late heartbeat made it look alive),
/// RabbitMQ returns the message instead of dropping it and the send fails for every attempt in it.
/// </summary>
public sealed class WorkerSends(IOptions<DispatcherOptions> options, TransportOptions transport)
{
    /// <summary>Most attempts in one message (<see cref="DispatcherOptions.MaxAttemptsPerMessage"/> may lower it).</summary>
    public const int MaxTasksPerMessage = 64;

    /// <summary>Most payload bytes in one message of several attempts (256 KiB).</summary>
    public const long MaxPayloadBytesPerMessage = 256 * 1024;

    private readonly ConcurrentDictionary<string, SendCoalescer<Outgoing>> _byWorker = new(StringComparer.Ordinal);

    /// <summary>
    /// Sends <paramref name="task"/> to its worker's queue through <paramref name="endpoints"/> (or those of an attempt
    /// sent with it); completes when the message carrying it is on the broker.
    /// </summary>
    public Task SendAsync(ExecuteTask task, ISendEndpointProvider endpoints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(endpoints);
        var coalescer = _byWorker.GetOrAdd(task.WorkerId, static (workerId, limits) => new SendCoalescer<Outgoing>(
            batch => SendToAsync(workerId, batch, limits.Deadline), limits.Most, MaxPayloadBytesPerMessage, static o => PayloadBytes(o.Task)),
            (Most: options.Value.MaxAttemptsPerMessage, Deadline: transport.RabbitMq.ConfirmTimeout));
        // Not abandoned once queued: an attempt recorded as sent must be sent (a caller that stopped waiting would give it
        // back to the store while it travels). The message itself goes with the token of its first attempt's caller.
        return coalescer.SendAsync(new Outgoing(task, endpoints, cancellationToken), CancellationToken.None);
    }

    /// <summary>Forgets a worker that left (its queue is deleted); a later attempt for it starts afresh.</summary>
    public void Forget(string workerId) => _byWorker.TryRemove(workerId, out _);

    // Sent through the provider of the batch's first attempt, with its caller's token: that caller is still waiting for
    // this send, so its context (a consume context, or the bus) is alive. A send the broker does not take within the
    // deadline fails every attempt in it (each is given back to the store), and the worker's next message can go.
    private static async Task SendToAsync(string workerId, IReadOnlyList<Outgoing> batch, TimeSpan deadline)
    {
        var endpoint = await batch[0].Endpoints.GetSendEndpoint(new Uri($"queue:{QueueNames.ForWorker(workerId)}"));
        if (batch.Count == 1)
        {
            await BrokerConfirmation.WithinAsync(deadline, token => endpoint.Send(batch[0].Task, (SendContext<ExecuteTask> context) => RequireAQueue(context), token), batch[0].CancellationToken);
        }
        else
        {
            var message = new ExecuteTaskBatch { Tasks = [.. batch.Select(o => o.Task)] };
            await BrokerConfirmation.WithinAsync(deadline, token => endpoint.Send(message, (SendContext<ExecuteTaskBatch> context) => RequireAQueue(context), token), batch[0].CancellationToken);
        }
    }

    private static void RequireAQueue(SendContext context)
    {
        if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
        {
            rabbit.Mandatory = true;
        }
    }

    private static long PayloadBytes(ExecuteTask task) =>
        task.Payload.ValueKind == System.Text.Json.JsonValueKind.Undefined ? 0 : JsonMarshal.GetRawUtf8Value(task.Payload).Length;

    private sealed record Outgoing(ExecuteTask Task, ISendEndpointProvider Endpoints, CancellationToken CancellationToken);
}
