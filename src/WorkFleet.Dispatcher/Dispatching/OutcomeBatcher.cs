using System.Runtime.InteropServices;
using System.Text.Json;
using MassTransit;
using WorkFleet.Contracts;
using WorkFleet.Messaging.Coalescing;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>
/// Group commit of the outcomes sent to one producer's reply queue, with no added wait: when no send to the queue is
/// in flight an outcome goes at once; while one is, the outcomes that come accumulate and go together in the next
/// send as soon as it completes (up to <see cref="MaxOutcomes"/> outcomes and <see cref="MaxResultBytes"/> of result
/// and error text; an outcome larger than that goes alone). Each caller's task completes when the send that carried
/// its outcome did, and fails when it failed. A caller whose token is cancelled stops waiting; its outcome, if not yet
/// taken into a send, is dropped (the result it came from is redelivered, and the outcome sent again then)
/// (<see cref="SendCoalescer{T}"/>).
/// </summary>
public sealed class OutcomeBatcher
{
    /// <summary>Most outcomes in one send, by default.</summary>
    public const int MaxOutcomes = 256;

    /// <summary>Most bytes of result JSON and error text in one send, by default (256 KiB).</summary>
    public const long MaxResultBytes = 256 * 1024;

    private readonly Func<OutcomeBatch, CancellationToken, Task> _send;
    private readonly SendCoalescer<Pending> _coalescer;

    /// <summary>Creates the batcher of one reply queue.</summary>
    /// <param name="send">Sends one batch; given the token of the batch's first caller.</param>
    /// <param name="maxOutcomes">Most outcomes in one send.</param>
    /// <param name="maxResultBytes">Most result and error bytes in one send (a larger outcome goes alone).</param>
    public OutcomeBatcher(Func<OutcomeBatch, CancellationToken, Task> send, int maxOutcomes = MaxOutcomes, long maxResultBytes = MaxResultBytes)
    {
        _send = send ?? throw new ArgumentNullException(nameof(send));
        _coalescer = new SendCoalescer<Pending>(SendBatchAsync, maxOutcomes, maxResultBytes, static p => p.Size);
    }

    /// <summary>Sends <paramref name="outcome"/> to <paramref name="address"/>, alone or with others; completes once it was sent.</summary>
    public Task SendAsync(Uri address, TaskFinished outcome, ISendEndpointProvider sender, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return _coalescer.SendAsync(new Pending(address, outcome, sender, SizeOf(outcome), cancellationToken), cancellationToken);
    }

    /// <summary>The bytes an outcome adds to a batch: its result JSON and its error text.</summary>
    public static long SizeOf(TaskFinished outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var result = outcome.Result is { ValueKind: not JsonValueKind.Undefined } json ? JsonMarshal.GetRawUtf8Value(json).Length : 0;
        return result + (outcome.Error?.Length ?? 0);
    }

    // Through the first caller's sender and with its token: that caller waits for this send, so its context is alive.
    private Task SendBatchAsync(IReadOnlyList<Pending> batch)
    {
        var first = batch[0];
        return _send(new OutcomeBatch(first.Address, first.Sender, [.. batch.Select(p => p.Outcome)]), first.CancellationToken);
    }

    private sealed record Pending(Uri Address, TaskFinished Outcome, ISendEndpointProvider Sender, long Size, CancellationToken CancellationToken);
}
