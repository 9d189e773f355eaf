using System.Collections;
using System.Diagnostics;

namespace WorkFleet.IntegrationTests.Tracing;

/// <summary>
/// The spans an in-memory exporter collected (thread-safe: hosts end spans on many threads), with finders for the
/// spans of the fleet's hops.
/// </summary>
public sealed class SpanCollection : ICollection<Activity>
{
    private readonly Lock _gate = new();
    private readonly List<Activity> _spans = [];

    /// <inheritdoc />
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _spans.Count;
            }
        }
    }

    /// <inheritdoc />
    public bool IsReadOnly => false;

    /// <summary>A copy of the spans of trace <paramref name="traceId"/> collected so far.</summary>
    public IReadOnlyList<Activity> OfTrace(ActivityTraceId traceId)
    {
        lock (_gate)
        {
            return [.. _spans.Where(s => s.TraceId == traceId)];
        }
    }

    /// <summary>A copy of every span collected so far.</summary>
    public IReadOnlyList<Activity> All()
    {
        lock (_gate)
        {
            return [.. _spans];
        }
    }

    /// <summary>MassTransit's span sending or publishing a message of <paramref name="messageType"/> (e.g. <c>SubmitTask</c>).</summary>
    public static bool IsSend(Activity span, string messageType) =>
        span.Source.Name == "MassTransit" && span.Kind == ActivityKind.Producer && MessageTypes(span).Contains($":{messageType}", StringComparison.Ordinal);

    /// <summary>MassTransit's span of <paramref name="consumer"/> (the class's name) consuming a message of <paramref name="messageType"/>.</summary>
    public static bool IsConsume(Activity span, string consumer, string messageType) =>
        span.Source.Name == "MassTransit" && span.Kind == ActivityKind.Consumer
        && span.GetTagItem("messaging.masstransit.consumer_type") is string type && type.EndsWith($".{consumer}", StringComparison.Ordinal)
        && MessageTypes(span).Contains($":{messageType}", StringComparison.Ordinal);

    /// <summary>The fleet's own span <paramref name="name"/> (<c>dispatch</c>, <c>job</c>) of task <paramref name="taskId"/>.</summary>
    public static bool IsFleetSpan(Activity span, string name, Guid taskId) =>
        span.Source.Name == "WorkFleet" && span.OperationName == name && span.GetTagItem("workfleet.task.id") as string == taskId.ToString();

    private static string MessageTypes(Activity span) => span.GetTagItem("messaging.masstransit.message_types") as string ?? "";

    /// <inheritdoc />
    public void Add(Activity item)
    {
        lock (_gate)
        {
            _spans.Add(item);
        }
    }

    /// <inheritdoc />
    public void Clear()
    {
        lock (_gate)
        {
            _spans.Clear();
        }
    }

    /// <inheritdoc />
    public bool Contains(Activity item)
    {
        lock (_gate)
        {
            return _spans.Contains(item);
        }
    }

    /// <inheritdoc />
    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_gate)
        {
            _spans.CopyTo(array, arrayIndex);
        }
    }

    /// <inheritdoc />
    public bool Remove(Activity item)
    {
        lock (_gate)
        {
            return _spans.Remove(item);
        }
    }

    /// <inheritdoc />
    public IEnumerator<Activity> GetEnumerator() => All().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
