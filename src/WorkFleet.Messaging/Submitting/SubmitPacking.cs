using System.Runtime.InteropServices;
using System.Text.Json;
using WorkFleet.Contracts;

namespace WorkFleet.Messaging.Submitting;

/// <summary>
/// How a producer packs many tasks into submit messages: consecutive tasks share a <see cref="SubmitTaskBatch"/> of at
/// most <see cref="MaxTasksPerMessage"/> tasks whose payloads add up to at most <see cref="MaxPayloadBytesPerMessage"/>;
/// a task whose payload alone is larger goes by itself. A message of one task is sent as the plain
/// <see cref="SubmitTask"/>. The bounds keep a batch far below the dispatcher's default <c>MaxSubmitBytes</c> (2 MiB),
/// so a batch is never refused for its size when each of its tasks would be accepted alone.
/// </summary>
public static class SubmitPacking
{
    /// <summary>Most tasks in one message.</summary>
    public const int MaxTasksPerMessage = 128;

    /// <summary>Most payload JSON bytes in one message of several tasks (256 KiB).</summary>
    public const int MaxPayloadBytesPerMessage = 256 * 1024;

    /// <summary>The messages <paramref name="tasks"/> go in, in order: each a run of consecutive tasks.</summary>
    public static IEnumerable<ArraySegment<SubmitTask>> Pack(IReadOnlyList<SubmitTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var all = tasks as SubmitTask[] ?? [.. tasks];
        var start = 0;
        var bytes = 0L;
        for (var i = 0; i < all.Length; i++)
        {
            var size = PayloadBytes(all[i]);
            var full = i - start == MaxTasksPerMessage || (i > start && bytes + size > MaxPayloadBytesPerMessage);
            if (full)
            {
                yield return new ArraySegment<SubmitTask>(all, start, i - start);
                (start, bytes) = (i, 0);
            }

            bytes += size;
        }

        if (start < all.Length)
        {
            yield return new ArraySegment<SubmitTask>(all, start, all.Length - start);
        }
    }

    private static long PayloadBytes(SubmitTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return task.Payload.ValueKind == JsonValueKind.Undefined ? 0 : JsonMarshal.GetRawUtf8Value(task.Payload).Length;
    }
}
