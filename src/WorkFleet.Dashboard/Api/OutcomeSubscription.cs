using System.Threading.Channels;
using WorkFleet.Contracts;

namespace WorkFleet.Dashboard.Api;

/// <summary>
/// One event-stream subscriber's outcomes, in a bounded buffer: <see cref="TaskOutcomeHub"/> writes without waiting
/// and drops the subscriber (ending <see cref="Outcomes"/>, <see cref="Dropped"/> true) when the buffer is full.
/// Dispose to unsubscribe.
/// </summary>
public sealed class OutcomeSubscription : IDisposable
{
    private readonly Channel<TaskFinished> _buffer;
    private readonly Action<OutcomeSubscription> _unsubscribe;

    internal OutcomeSubscription(string subscriber, int capacity, Action<OutcomeSubscription> unsubscribe)
    {
        Subscriber = subscriber;
        Capacity = capacity;
        _unsubscribe = unsubscribe;
        _buffer = Channel.CreateBounded<TaskFinished>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>Who subscribed (the API key's holder), for the log line when it is dropped.</summary>
    public string Subscriber { get; }

    /// <summary>The outcomes the buffer holds at most.</summary>
    public int Capacity { get; }

    /// <summary>True once the subscriber fell <see cref="Capacity"/> outcomes behind and was dropped.</summary>
    public bool Dropped { get; private set; }

    /// <summary>The outcomes, in the order they were recorded; completes when the subscriber is dropped.</summary>
    public ChannelReader<TaskFinished> Outcomes => _buffer.Reader;

    /// <summary>Adds <paramref name="outcome"/>; false (and the subscription ended) when the buffer is full.</summary>
    internal bool Offer(TaskFinished outcome)
    {
        if (_buffer.Writer.TryWrite(outcome))
        {
            return true;
        }

        Dropped = true;
        _buffer.Writer.TryComplete();
        return false;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _buffer.Writer.TryComplete();
        _unsubscribe(this);
    }
}
