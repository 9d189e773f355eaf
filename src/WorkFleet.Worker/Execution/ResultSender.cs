using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using WorkFleet.Contracts;

namespace WorkFleet.Worker.Execution;

/// <summary>
/// Sends one worker's terminal results to the dispatcher, group-commit style and with no added wait: while no send
/// is in flight a result goes at once, alone, as the plain <see cref="TaskCompleted"/> or <see cref="TaskFailed"/>
/// (so a worker that is not busy sends exactly what it always did); the results that finish while a send is in
/// flight wait for it and then go together in one <see cref="TaskResultBatch"/> (at most <c>maxItems</c> of
/// them and about <see cref="MaxPayloadBytes"/> of result payload; a larger result goes alone). The task returned to
/// each caller completes when the message that carried its result is on the broker, and faults when that send
/// fails, so a consumer acknowledges its task only after its result was sent, as with a single send.
/// </summary>
/// <param name="workerId">The worker whose results these are; a batch names it.</param>
/// <param name="maxItems">Most results in one message, 1..<see cref="MaxItems"/>; 1 never batches.</param>
/// <param name="sent">Told the number of results of every message sent (1 for a plain result), when given.</param>
public sealed class ResultSender(string workerId, int maxItems = ResultSender.MaxItems, Action<int>? sent = null)
{
    /// <summary>Most results one batch may hold.</summary>
    public const int MaxItems = 64;

    /// <summary>
    /// Most result payload in one batch, bytes (the sum of the items' result JSON and error texts): keeps a batch well
    /// under the 1 MiB a message should stay below, even though a single result may be up to
    /// <c>WorkFleet:Worker:MaxResultBytes</c>.
    /// </summary>
    public const int MaxPayloadBytes = 256 * 1024;

    private readonly Lock _gate = new();
    private readonly Queue<PendingResult> _waiting = new();
    private readonly int _maxItems = maxItems is >= 1 and <= MaxItems
        ? maxItems
        : throw new ArgumentOutOfRangeException(nameof(maxItems), maxItems, $"must be within 1..{MaxItems}");

    private bool _sending;

    /// <summary>
    /// Sends <paramref name="completed"/> alone or in a batch through <paramref name="send"/> (which sends the message
    /// it is given to the results address); completes once it is on the broker.
    /// </summary>
    public Task SendAsync(TaskCompleted completed, Func<object, Task> send)
    {
        ArgumentNullException.ThrowIfNull(completed);
        return Enqueue(new PendingResult(completed, PayloadBytes(completed), send));
    }

    /// <summary>
    /// Sends <paramref name="failed"/> alone or in a batch through <paramref name="send"/> (which sends the message it
    /// is given to the results address); completes once it is on the broker.
    /// </summary>
    public Task SendAsync(TaskFailed failed, Func<object, Task> send)
    {
        ArgumentNullException.ThrowIfNull(failed);
        return Enqueue(new PendingResult(failed, Encoding.UTF8.GetByteCount(failed.Error), send));
    }

    private Task Enqueue(PendingResult result)
    {
        lock (_gate)
        {
            if (_sending)
            {
                _waiting.Enqueue(result);
                return result.Sent.Task;
            }

            _sending = true;
        }

        _ = PumpAsync([result]);
        return result.Sent.Task;
    }

    // Sends the given results, then whatever queued meanwhile, until nothing waits. Only one pump runs at a time; it
    // never throws (each send's failure goes to the waiters of that send).
    private async Task PumpAsync(List<PendingResult> next)
    {
        while (next.Count > 0)
        {
            await SendOneMessageAsync(next);
            lock (_gate)
            {
                next = TakeBatch();
                _sending = next.Count > 0;
            }
        }
    }

    private async Task SendOneMessageAsync(List<PendingResult> results)
    {
        try
        {
            var first = results[0];
            await first.Send(results.Count == 1 ? first.Message : Batch(results));
            sent?.Invoke(results.Count);
            foreach (var result in results)
            {
                result.Sent.TrySetResult();
            }
        }
        catch (Exception ex)
        {
            foreach (var result in results)
            {
                result.Sent.TrySetException(ex);
            }
        }
    }

    // Under _gate: the oldest waiting results that fit in one message (at least one).
    private List<PendingResult> TakeBatch()
    {
        var batch = new List<PendingResult>(Math.Min(_waiting.Count, _maxItems));
        long bytes = 0;
        while (batch.Count < _maxItems && _waiting.TryPeek(out var result) && (batch.Count == 0 || bytes + result.PayloadBytes <= MaxPayloadBytes))
        {
            batch.Add(_waiting.Dequeue());
            bytes += result.PayloadBytes;
        }

        return batch;
    }

    private TaskResultBatch Batch(List<PendingResult> results) => new()
    {
        WorkerId = workerId,
        Completed = [.. results.Select(r => r.Message).OfType<TaskCompleted>()],
        Failed = [.. results.Select(r => r.Message).OfType<TaskFailed>()],
    };

    // The result's raw JSON, measured without copying it.
    private static int PayloadBytes(TaskCompleted completed) =>
        completed.Result.ValueKind == JsonValueKind.Undefined ? 0 : JsonMarshal.GetRawUtf8Value(completed.Result).Length;

    private sealed record PendingResult(object Message, int PayloadBytes, Func<object, Task> Send)
    {
        // Its consumer's continuation must not run on the pump, which goes on to the next batch.
        public TaskCompletionSource Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
