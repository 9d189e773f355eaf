using Microsoft.Extensions.Options;
using WorkFleet.Dispatcher.Configuration;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>
/// Bounds the submitted tasks this dispatcher works on at once to <see cref="DispatcherOptions.SubmitConcurrency"/>,
/// whether they came one per message or many in a <c>SubmitTaskBatch</c>. A task waiting here has not been looked at:
/// it is safe in its unacknowledged message, as if still in the queue, so a batch's tasks enter the waiting line (and
/// start their <see cref="DispatcherOptions.RecordWaitingAfter"/> clock) only as room frees. Without this, a few
/// prefetched batches would put tens of thousands of tasks in the line, most of them stored Pending first for having
/// waited, a second write each. Waiters are admitted in arrival order.
/// </summary>
public sealed class SubmitAdmission(IOptions<DispatcherOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _room = new(options.Value.SubmitConcurrency, options.Value.SubmitConcurrency);

    /// <summary>Waits for room for one task; dispose the result when the task is handled.</summary>
    public async ValueTask<Admitted> EnterAsync(CancellationToken cancellationToken)
    {
        await _room.WaitAsync(cancellationToken);
        return new Admitted(_room);
    }

    /// <inheritdoc />
    public void Dispose() => _room.Dispose();

    /// <summary>One task's room, given back on dispose.</summary>
    public readonly struct Admitted(SemaphoreSlim room) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => room.Release();
    }
}
