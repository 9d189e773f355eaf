using System.Diagnostics;
using System.Runtime.CompilerServices;
using WorkFleet.Contracts;
using WorkFleet.Jobs;
using WorkFleet.Messaging.Telemetry;

namespace WorkFleet.Worker.Execution;

/// <summary>
/// The span of one job run, a child of the dispatcher's span for the attempt (<see cref="ExecuteTask.TraceParent"/>), or
/// else of the worker's consume of <see cref="ExecuteTask"/> (so in the task's trace either way), with
/// job type, attempt and batch size as attributes. Nothing is allocated when no tracer listens.
/// </summary>
internal static class JobSpans
{
    // A batched task's span, found again by its prepared input when the batch runs (only while tracing).
    private static readonly ConditionalWeakTable<BatchJobItem, Activity> Batched = [];

    /// <summary>Starts the job span of <paramref name="task"/> on <paramref name="workerId"/>; null when not traced.</summary>
    public static Activity? Start(ExecuteTask task, string workerId, bool batched)
    {
        if (!WorkFleetActivities.Source.HasListeners())
        {
            return null;
        }

        // The dispatcher's span for the attempt when it sent one (the consume span may be a batch's, shared by others).
        var span = ActivityContext.TryParse(task.TraceParent, null, isRemote: true, out var dispatch)
            ? WorkFleetActivities.Source.StartActivity("job", ActivityKind.Internal, dispatch)
            : WorkFleetActivities.Source.StartActivity("job");
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(WorkFleetActivities.TaskId, task.TaskId.ToString());
            span.SetTag(WorkFleetActivities.Attempt, task.Attempt);
            span.SetTag(WorkFleetActivities.JobType, task.JobType);
            span.SetTag(WorkFleetActivities.WorkerId, workerId);
            if (!batched)
            {
                span.SetTag(WorkFleetActivities.BatchSize, 1);
            }
        }

        return span;
    }

    /// <summary>Marks <paramref name="span"/> failed with <paramref name="error"/>.</summary>
    public static void Failed(Activity? span, string error) => span?.SetStatus(ActivityStatusCode.Error, error);

    /// <summary>Remembers that <paramref name="item"/> belongs to the current job span, if one is recorded.</summary>
    public static void Joining(BatchJobItem item)
    {
        if (Activity.Current is { IsAllDataRequested: true } span && span.Source == WorkFleetActivities.Source)
        {
            Batched.AddOrUpdate(item, span);
        }
    }

    /// <summary>Tags the job span of each item in a batch that is about to run with the batch's size.</summary>
    public static void BatchRuns(IReadOnlyList<BatchJobItem> items)
    {
        if (!WorkFleetActivities.Source.HasListeners())
        {
            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (Batched.TryGetValue(items[i], out var span))
            {
                span.SetTag(WorkFleetActivities.BatchSize, items.Count);
                Batched.Remove(items[i]);
            }
        }
    }
}
