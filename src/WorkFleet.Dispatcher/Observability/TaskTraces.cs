using System.Diagnostics;
using WorkFleet.Data.Entities;
using WorkFleet.Messaging.Telemetry;

namespace WorkFleet.Dispatcher.Observability;

/// <summary>
/// Keeps each task in its own trace. A task is rarely sent in the context it arrived in: a retry or a rescue is sent
/// from a timer, a redelivered submit from another delivery, so the span current at send time may belong to another
/// task or to none. The task's trace id is therefore taken when it arrives, stored with it (<see cref="TaskRecord.TraceId"/>)
/// and every send of an attempt is parented to that trace, whatever is current then.
/// </summary>
internal static class TaskTraces
{
    /// <summary>The trace id of the task arriving now (the current span's), or null when nothing traces it.</summary>
    public static string? Arriving() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.TraceId.ToHexString() : null;

    /// <summary>
    /// Starts the span of sending attempt <paramref name="attempt"/> of <paramref name="task"/> to
    /// <paramref name="workerId"/>, in the task's trace; null (and nothing allocated) when no tracer listens or the trace
    /// is not sampled. MassTransit's send span becomes its child and carries the context to the worker.
    /// </summary>
    public static Activity? StartDispatch(TaskRecord task, int attempt, string workerId)
    {
        if (!WorkFleetActivities.Source.HasListeners())
        {
            return null;
        }

        var span = WorkFleetActivities.Source.StartActivity("dispatch", ActivityKind.Internal, ParentOf(task.TraceId));
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(WorkFleetActivities.TaskId, task.Id.ToString());
            span.SetTag(WorkFleetActivities.Attempt, attempt);
            span.SetTag(WorkFleetActivities.JobType, task.JobType);
            span.SetTag(WorkFleetActivities.WorkerId, workerId);
        }

        return span;
    }

    /// <summary>
    /// The current span when it is in the task's trace (the submit's consume, the usual case for a first attempt);
    /// otherwise a remote parent in the task's trace (only its trace id is stored, so the parent span id is new: the
    /// attempt appears in the task's trace under a parent the backend does not know). Default, i.e. the current span,
    /// when the task has no trace id.
    /// </summary>
    private static ActivityContext ParentOf(string? traceId)
    {
        if (traceId is not { Length: 32 })
        {
            return default;
        }

        var trace = ActivityTraceId.CreateFromString(traceId);
        return Activity.Current is { } current && current.TraceId == trace
            ? default
            : new ActivityContext(trace, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, traceState: null, isRemote: true);
    }
}
