using System.Text.Json;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;
using WorkFleet.Dispatcher.Persistence;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>Builds the outcome event producers receive.</summary>
public static class TaskFinishedFactory
{
    /// <summary>A failure that no worker attempt decided (invalid task, nothing can run it).</summary>
    public static TaskFinished Failed(Guid taskId, int attempt, string? workerId, string error, string errorKind, DateTimeOffset at) => new()
    {
        TaskId = taskId,
        Outcome = TaskOutcome.Failed,
        Attempt = attempt,
        WorkerId = workerId,
        Error = error,
        ErrorKind = errorKind,
        FinishedAt = at,
    };

    /// <summary>A success.</summary>
    public static TaskFinished Succeeded(Guid taskId, int attempt, string workerId, JsonElement result, DateTimeOffset at) => new()
    {
        TaskId = taskId,
        Outcome = TaskOutcome.Succeeded,
        Attempt = attempt,
        WorkerId = workerId,
        Result = result,
        FinishedAt = at,
    };

    /// <summary>The outcome of a decided task as stored in <c>tasks</c>.</summary>
    public static TaskFinished Stored(TaskRecord task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var finishedAt = StoredTime.AsUtc(task.FinishedAt ?? task.CreatedAt);
        if (task.Status != TaskState.Succeeded)
        {
            return Failed(task.Id, task.Attempt, task.WorkerId, task.Error ?? "failed", task.ErrorKind ?? "failed", finishedAt);
        }

        using var result = JsonDocument.Parse(task.Result ?? "null");
        return Succeeded(task.Id, task.Attempt, task.WorkerId!, result.RootElement.Clone(), finishedAt);
    }
}
