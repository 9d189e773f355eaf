using System.Collections.Concurrent;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dispatcher.Tests.Dispatching;

/// <summary>
/// A send delegate for <see cref="OutcomeBatcher"/> that records each send and holds it in flight until the test
/// completes or fails it.
/// </summary>
internal sealed class FakeReplyQueue
{
    private readonly ConcurrentQueue<(IReadOnlyList<TaskFinished> Outcomes, TaskCompletionSource Done)> _sends = new();

    /// <summary>The batches sent so far, in the order the sends started.</summary>
    public IReadOnlyList<IReadOnlyList<TaskFinished>> Sends => [.. _sends.Select(s => s.Outcomes)];

    /// <summary>The delegate to give the batcher.</summary>
    public Task SendAsync(OutcomeBatch batch, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _sends.Enqueue((batch.Outcomes, done));
        return done.Task;
    }

    /// <summary>Waits (10 s at most) until send <paramref name="index"/> (counted from 0) has started and returns its outcomes.</summary>
    public async Task<IReadOnlyList<TaskFinished>> StartedAsync(int index)
    {
        await Eventually.UntilAsync(() => Task.FromResult(_sends.Count > index), started => started, TimeSpan.FromSeconds(10), $"send {index} started");
        return _sends.ElementAt(index).Outcomes;
    }

    /// <summary>Completes send <paramref name="index"/>, or fails it with <paramref name="error"/>.</summary>
    public void Finish(int index, Exception? error = null)
    {
        var done = _sends.ElementAt(index).Done;
        if (error is null)
        {
            done.SetResult();
        }
        else
        {
            done.SetException(error);
        }
    }
}
