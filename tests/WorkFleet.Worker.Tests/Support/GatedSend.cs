using System.Threading.Channels;

namespace WorkFleet.Worker.Tests.Support;

/// <summary>
/// A stand-in for the send to the results address: every message handed to <see cref="SendAsync"/> is held until
/// the test completes or fails it, so a test decides when a send is in flight and how it ends.
/// </summary>
public sealed class GatedSend
{
    private readonly Channel<HeldSend> _held = Channel.CreateUnbounded<HeldSend>();

    /// <summary>The send delegate to give the code under test.</summary>
    public Task SendAsync(object message)
    {
        var held = new HeldSend(message);
        _held.Writer.TryWrite(held);
        return held.Done.Task;
    }

    /// <summary>The next message sent (in the order the sends started), within the test deadline.</summary>
    public Task<HeldSend> NextAsync() => Deadline.Within(_held.Reader.ReadAsync().AsTask());

    /// <summary>True when a send started that the test has not taken with <see cref="NextAsync"/>.</summary>
    public bool HasWaiting => _held.Reader.TryPeek(out _);

    /// <summary>One message being sent.</summary>
    public sealed class HeldSend(object message)
    {
        /// <summary>What was sent.</summary>
        public object Message { get; } = message;

        /// <summary>Completes or fails the send.</summary>
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
