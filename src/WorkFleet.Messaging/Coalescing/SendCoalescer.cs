namespace WorkFleet.Messaging.Coalescing;

/// <summary>
/// Sends items one message at a time, coalescing those that arrive while a message is on its way: when nothing is
/// being sent an item goes at once, alone; items that arrive meanwhile wait and all go together in the next message
/// (at most <c>maxItems</c> of them and, past the first, <c>maxBytes</c> by <c>sizeOf</c>), as a database's group commit
/// does. Under light load nothing waits; under heavy load a message carries what piled up during one send. Each
/// caller's task completes when the message carrying its item has been sent, or fails with that send's exception; a
/// caller whose token is cancelled stops waiting, and its item, if not yet taken into a message, is not sent. Used for
/// every hop WorkFleet batches: attempts to a worker, results to the dispatcher, outcomes to a producer.
/// </summary>
/// <typeparam name="T">The item.</typeparam>
public sealed class SendCoalescer<T>
{
    private readonly Func<IReadOnlyList<T>, Task> _send;
    private readonly int _maxItems;
    private readonly long _maxBytes;
    private readonly Func<T, long> _sizeOf;
    private readonly Queue<Waiter> _waiting = new();
    private readonly Lock _gate = new();
    private bool _sending;

    /// <summary>Creates a coalescer that sends a list of items with <paramref name="send"/>.</summary>
    public SendCoalescer(Func<IReadOnlyList<T>, Task> send, int maxItems, long maxBytes, Func<T, long> sizeOf)
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentNullException.ThrowIfNull(sizeOf);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItems, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        (_send, _maxItems, _maxBytes, _sizeOf) = (send, maxItems, maxBytes, sizeOf);
    }

    /// <summary>Items waiting for the message on its way to finish (for tests and diagnostics).</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Sends <paramref name="item"/>, alone or with others; completes once the message carrying it is sent.</summary>
    public Task SendAsync(T item, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_sending)
            {
                var waiter = new Waiter(item, cancellationToken);
                _waiting.Enqueue(waiter);
                return cancellationToken.CanBeCanceled ? waiter.Sent.Task.WaitAsync(cancellationToken) : waiter.Sent.Task;
            }

            _sending = true;
        }

        return SendFirstAsync(item);
    }

    private async Task SendFirstAsync(T item)
    {
        try
        {
            await _send([item]);
        }
        finally
        {
            SendNext();
        }
    }

    /// <summary>Starts the message of what waits, if anything does; otherwise nothing is on its way any more.</summary>
    private void SendNext()
    {
        var next = new List<Waiter>();
        List<Waiter>? cancelled = null;
        lock (_gate)
        {
            var bytes = 0L;
            while (next.Count < _maxItems && _waiting.TryPeek(out var candidate))
            {
                if (candidate.CancellationToken.IsCancellationRequested)
                {
                    (cancelled ??= []).Add(_waiting.Dequeue());
                    continue;
                }

                var size = _sizeOf(candidate.Item);
                if (next.Count > 0 && bytes + size > _maxBytes)
                {
                    break;
                }

                bytes += size;
                next.Add(_waiting.Dequeue());
            }

            _sending = next.Count > 0;
        }

        // Completed outside the lock: a caller carries on on this thread (below).
        foreach (var waiter in cancelled ?? [])
        {
            waiter.Sent.TrySetCanceled(waiter.CancellationToken);
        }

        if (next.Count > 0)
        {
            _ = SendWaitingAsync(next);
        }
    }

    private async Task SendWaitingAsync(List<Waiter> batch)
    {
        Exception? failure = null;
        try
        {
            await _send([.. batch.Select(w => w.Item)]);
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        // The next message starts before the callers of this one carry on, one after the other on this thread: what
        // they do next is short (a consumer finishing, an acknowledgement), and waking a pool thread for each of them
        // would cost more than running it.
        SendNext();
        foreach (var waiter in batch)
        {
            if (failure is null)
            {
                waiter.Sent.TrySetResult();
            }
            else
            {
                waiter.Sent.TrySetException(failure);
            }
        }
    }

    private sealed class Waiter(T item, CancellationToken cancellationToken)
    {
        public T Item => item;

        public CancellationToken CancellationToken => cancellationToken;

        // Completed only outside the lock, after the next message has started.
        public TaskCompletionSource Sent { get; } = new();
    }
}
