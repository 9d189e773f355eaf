using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using WorkFleet.Contracts;
using WorkFleet.Messaging.Coalescing;

namespace WorkFleet.Worker.Execution;

/// <summary>
/// Sends one worker's terminal results to the dispatcher, group-commit style and with no added wait: while no send
/// is in flight a result goes at once, alone, as the plain <see cref="TaskCompleted"/> or <see cref="TaskFailed"/>
/// (so a worker that is not busy sends exactly what it always did); the results that finish while a send is in
/// flight wait for it and then go together in one <see cref="TaskResultBatch"/> (at most <c>maxItems</c> of
/// them and about <see cref="MaxPayloadBytes"/> of result payload; a larger result goes alone). The task returned to
/// each caller completes when the message that carried its result is on the broker, and faults when that send
/// fails, so a consumer acknowledges its task only after its result was sent, as with a single send
/// (<see cref="SendCoalescer{T}"/>).
/// </summary>
public sealed class ResultSender
{
    /// <summary>Most results one batch may hold.</summary>
    public const int MaxItems = 64;

    /// <summary>
    /// Most result payload in one batch, bytes (the sum of the items' result JSON and error texts): keeps a batch well
    /// under the 1 MiB a message should stay below, even though a single result may be up to
    /// <c>WorkFleet:Worker:MaxResultBytes</c>.
    /// </summary>
    public const int MaxPayloadBytes = 256 * 1024;

    private readonly string _workerId;
    private readonly Action<int>? _sent;
    private readonly SendCoalescer<PendingResult> _coalescer;

    /// <summary>Creates the sender of <paramref name="workerId"/>'s results.</summary>
    /// <param name="workerId">The worker whose results these are; a batch names it.</param>
    /// <param name="maxItems">Most results in one message, 1..<see cref="MaxItems"/>; 1 never batches.</param>
    /// <param name="sent">Told the number of results of every message sent (1 for a plain result), when given.</param>
    public ResultSender(string workerId, int maxItems = MaxItems, Action<int>? sent = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItems, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxItems, MaxItems);
        (_workerId, _sent) = (workerId, sent);
        _coalescer = new SendCoalescer<PendingResult>(SendMessageAsync, maxItems, MaxPayloadBytes, static r => r.PayloadBytes);
    }

    /// <summary>
    /// Sends <paramref name="completed"/> alone or in a batch through <paramref name="send"/> (which sends the message
    /// it is given to the results address); completes once it is on the broker.
    /// </summary>
    public Task SendAsync(TaskCompleted completed, Func<object, Task> send)
    {
        ArgumentNullException.ThrowIfNull(completed);
        return _coalescer.SendAsync(new PendingResult(completed, PayloadBytes(completed), send));
    }

    /// <summary>
    /// Sends <paramref name="failed"/> alone or in a batch through <paramref name="send"/> (which sends the message it
    /// is given to the results address); completes once it is on the broker.
    /// </summary>
    public Task SendAsync(TaskFailed failed, Func<object, Task> send)
    {
        ArgumentNullException.ThrowIfNull(failed);
        return _coalescer.SendAsync(new PendingResult(failed, Encoding.UTF8.GetByteCount(failed.Error), send));
    }

    // Through the first result's send: its consumer waits for this message, so its context is alive.
    private async Task SendMessageAsync(IReadOnlyList<PendingResult> results)
    {
        var first = results[0];
        await first.Send(results.Count == 1 ? first.Message : Batch(results));
        _sent?.Invoke(results.Count);
    }

    private TaskResultBatch Batch(IReadOnlyList<PendingResult> results) => new()
    {
        WorkerId = _workerId,
        Completed = [.. results.Select(r => r.Message).OfType<TaskCompleted>()],
        Failed = [.. results.Select(r => r.Message).OfType<TaskFailed>()],
    };

    // The result's raw JSON, measured without copying it.
    private static int PayloadBytes(TaskCompleted completed) =>
        completed.Result.ValueKind == JsonValueKind.Undefined ? 0 : JsonMarshal.GetRawUtf8Value(completed.Result).Length;

    private sealed record PendingResult(object Message, int PayloadBytes, Func<object, Task> Send);
}
