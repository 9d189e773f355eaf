using System.Runtime.InteropServices;
using System.Text.Json;
using MassTransit;
using WorkFleet.Contracts;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>
/// Group commit of the outcomes sent to one producer's reply queue, with no added wait: when no send to the queue is
/// in flight an outcome goes at once; while one is, the outcomes that come accumulate and go together in the next
/// send as soon as it completes (up to <see cref="MaxOutcomes"/> outcomes and <see cref="MaxResultBytes"/> of result
/// and error text; an outcome larger than that goes alone). Each caller's task completes when the send that carried
/// its outcome did, and fails when it failed. A caller whose token is cancelled stops waiting; its outcome, if not yet
/// taken into a send, is dropped (the result it came from is redelivered, and the outcome sent again then).
/// </summary>
/// <param name="send">Sends one batch; given the token of the batch's first caller.</param>
/// <param name="maxOutcomes">Most outcomes in one send.</param>
/// <param name="maxResultBytes">Most result and error bytes in one send (a larger outcome goes alone).</param>
public sealed class OutcomeBatcher(Func<OutcomeBatch, CancellationToken, Task> send, int maxOutcomes = OutcomeBatcher.MaxOutcomes, long maxResultBytes = OutcomeBatcher.MaxResultBytes)
{
    /// <summary>Most outcomes in one send, by default.</summary>
    public const int MaxOutcomes = 256;

    /// <summary>Most bytes of result JSON and error text in one send, by default (256 KiB).</summary>
    public const long MaxResultBytes = 256 * 1024;

    private readonly Lock _gate = new();
    private readonly Queue<Waiter> _waiting = new();
    private bool _sending;

    /// <summary>Sends <paramref name="outcome"/> to <paramref name="address"/>, alone or with others; completes once it was sent.</summary>
    public Task SendAsync(Uri address, TaskFinished outcome, ISendEndpointProvider sender, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var waiter = new Waiter(address, outcome, sender, cancellationToken);
        List<Waiter>? batch = null;
        lock (_gate)
        {
            _waiting.Enqueue(waiter);
            if (!_sending)
            {
                batch = TakeBatch();
            }
        }

        if (batch is not null)
        {
            _ = RunAsync(batch);
        }

        return waiter.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The bytes an outcome adds to a batch: its result JSON and its error text.</summary>
    public static long SizeOf(TaskFinished outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var result = outcome.Result is { ValueKind: not JsonValueKind.Undefined } json ? JsonMarshal.GetRawUtf8Value(json).Length : 0;
        return result + (outcome.Error?.Length ?? 0);
    }

    /// <summary>Sends batch after batch until nothing waits; the first batch starts on the caller's thread.</summary>
    private async Task RunAsync(List<Waiter> batch)
    {
        while (batch.Count > 0)
        {
            var first = batch[0];
            Exception? failure = null;
            try
            {
                await send(new OutcomeBatch(first.Address, first.Sender, [.. batch.Select(w => w.Outcome)]), first.CancellationToken);
            }
            catch (Exception ex)
            {
                failure = ex;
            }

            foreach (var waiter in batch)
            {
                if (failure is null)
                {
                    waiter.Completion.TrySetResult();
                }
                else
                {
                    waiter.Completion.TrySetException(failure);
                }
            }

            lock (_gate)
            {
                batch = TakeBatch();
            }
        }
    }

    /// <summary>The next send's waiters (skipping the cancelled ones); marks a send in flight when there are any.</summary>
    private List<Waiter> TakeBatch()
    {
        var batch = new List<Waiter>(Math.Min(_waiting.Count, maxOutcomes));
        long bytes = 0;
        while (batch.Count < maxOutcomes && _waiting.TryPeek(out var next))
        {
            if (next.CancellationToken.IsCancellationRequested)
            {
                _waiting.Dequeue().Completion.TrySetCanceled(next.CancellationToken);
                continue;
            }

            if (batch.Count > 0 && bytes + next.Size > maxResultBytes)
            {
                break;
            }

            bytes += next.Size;
            batch.Add(_waiting.Dequeue());
        }

        _sending = batch.Count > 0;
        return batch;
    }

    private sealed class Waiter(Uri address, TaskFinished outcome, ISendEndpointProvider sender, CancellationToken cancellationToken)
    {
        public Uri Address => address;

        public TaskFinished Outcome => outcome;

        public ISendEndpointProvider Sender => sender;

        public CancellationToken CancellationToken => cancellationToken;

        public long Size { get; } = SizeOf(outcome);

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
