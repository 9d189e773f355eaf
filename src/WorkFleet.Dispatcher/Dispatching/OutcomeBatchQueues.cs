using System.Collections.Concurrent;
using WorkFleet.Contracts;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>
/// The reply queues whose producers accept <see cref="TaskFinishedBatch"/> (their submits carried
/// <see cref="ProducerHeaders.OutcomeBatches"/>), each with its <see cref="OutcomeBatcher"/>. In memory only and bounded
/// (<see cref="Capacity"/> queues; past it an arbitrary one is forgotten): a queue forgotten, or unknown after a restart,
/// gets single <see cref="TaskFinished"/> messages, which batch-capable producers accept too.
/// </summary>
/// <param name="send">How a batcher sends one batch (<see cref="OutcomeBatchSender.SendAsync"/> in the dispatcher).</param>
public sealed class OutcomeBatchQueues(Func<OutcomeBatch, CancellationToken, Task> send)
{
    /// <summary>Most queues remembered.</summary>
    public const int Capacity = 4096;

    private readonly ConcurrentDictionary<string, OutcomeBatcher> _batchers = new(StringComparer.Ordinal);

    /// <summary>Remembers with the dispatcher's own sends, each given <paramref name="confirmTimeout"/> to be taken.</summary>
    public OutcomeBatchQueues(TimeSpan confirmTimeout)
        : this((batch, cancellationToken) => OutcomeBatchSender.SendAsync(batch, confirmTimeout, cancellationToken))
    {
    }

    /// <summary>Remembers that <paramref name="queue"/> accepts batches.</summary>
    public void Accept(string queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        if (_batchers.ContainsKey(queue))
        {
            return;
        }

        while (_batchers.Count >= Capacity)
        {
            // Enumerating a ConcurrentDictionary takes no lock and copies nothing; which entry comes first is arbitrary.
            foreach (var (forgotten, _) in _batchers)
            {
                _batchers.TryRemove(forgotten, out _);
                break;
            }
        }

        _batchers.TryAdd(queue, new OutcomeBatcher(send));
    }

    /// <summary>The batcher of <paramref name="queue"/>, or null when it is not known to accept batches.</summary>
    public OutcomeBatcher? BatcherOf(string queue) => _batchers.GetValueOrDefault(queue);
}
