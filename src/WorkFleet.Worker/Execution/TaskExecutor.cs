using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using WorkFleet.Contracts;
using WorkFleet.Jobs;

namespace WorkFleet.Worker.Execution;

/// <summary>
/// Runs one attempt through the job handler registry with its timeout (alone, or in a dynamic batch when the
/// job type batches on this worker) and turns whatever happens into a result message: a success, or a
/// failure that names the problem. Only the host's own shutdown escapes as an exception (the message then
/// stays in the worker's queue).
/// </summary>
public sealed class TaskExecutor(JobHandlerRegistry registry, TimeProvider clock, ILogger<TaskExecutor> logger)
{
    /// <summary>Runs <paramref name="task"/> on <paramref name="runtime"/>.</summary>
    public async Task<ExecutionOutcome> ExecuteAsync(WorkerRuntime runtime, ExecuteTask task, CancellationToken hostStopping)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(task);
        var startedAt = clock.GetUtcNow();
        if (!registry.TryGet(task.JobType, out var handler))
        {
            var known = string.Join(", ", registry.JobTypes);
            runtime.OnRefused();
            return Failed(runtime, task, startedAt, ErrorKinds.UnknownJobType, retryable: false,
                $"Unknown job type '{task.JobType}'; this worker runs: {known}.");
        }

        var timeout = task.Timeout ?? runtime.Options.DefaultTaskTimeout;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(hostStopping);
        if (!runtime.TrackRunning(task.TaskId, task.Attempt, limit))
        {
            runtime.OnRefused();
            return Failed(runtime, task, startedAt, ErrorKinds.Cancelled, retryable: false, $"{task.JobType}: cancelled by request before it started.");
        }

        limit.CancelAfter(timeout);
        var watch = Stopwatch.StartNew();
        runtime.OnStarted();
        JobExecutionContext.Current = new JobExecutionContext(task.TaskId, task.Attempt, runtime.WorkerId);
        try
        {
            var result = runtime.Batcher.TryGetBatchHandler(handler, out var batchHandler)
                ? await runtime.Batcher.ExecuteAsync(batchHandler, task.Payload, limit.Token)
                : await handler.ExecuteAsync(task.Payload, limit.Token);
            runtime.OnFinished(succeeded: true, watch.Elapsed);
            return new ExecutionOutcome(
                new TaskCompleted
                {
                    TaskId = task.TaskId,
                    Attempt = task.Attempt,
                    WorkerId = runtime.WorkerId,
                    Result = result,
                    StartedAt = startedAt,
                    FinishedAt = clock.GetUtcNow(),
                },
                null);
        }
        catch (OperationCanceledException) when (hostStopping.IsCancellationRequested)
        {
            runtime.OnFinished(succeeded: false, watch.Elapsed);
            throw;
        }
        catch (OperationCanceledException) when (runtime.IsCancelled(task.TaskId))
        {
            runtime.OnFinished(succeeded: false, watch.Elapsed);
            return Failed(runtime, task, startedAt, ErrorKinds.Cancelled, retryable: false, $"{task.JobType}: cancelled by request while running.");
        }
        catch (Exception ex)
        {
            runtime.OnFinished(succeeded: false, watch.Elapsed);
            var (kind, retryable, error) = Classify(ex, limit.IsCancellationRequested, timeout, task.JobType);
            logger.LogWarning("Task {TaskId} attempt {Attempt} ({JobType}) failed: {Error}", task.TaskId, task.Attempt, task.JobType, error);
            return Failed(runtime, task, startedAt, kind, retryable, error);
        }
        finally
        {
            runtime.Untrack(task.TaskId, task.Attempt);
        }
    }

    private static (string Kind, bool Retryable, string Error) Classify(Exception ex, bool timedOut, TimeSpan timeout, string jobType) => ex switch
    {
        OperationCanceledException when timedOut => (ErrorKinds.Timeout, true, $"{jobType}: attempt exceeded its timeout of {timeout}."),
        JobInputException => (ErrorKinds.InvalidInput, false, ex.Message),
        JsonException => (ErrorKinds.InvalidInput, false, $"{jobType}: malformed input: {ex.Message}"),
        TransientJobException => (ErrorKinds.Transient, true, ex.Message),
        _ => (ErrorKinds.HandlerError, false, $"{jobType}: {ex.GetType().Name}: {ex.Message}"),
    };

    private ExecutionOutcome Failed(WorkerRuntime runtime, ExecuteTask task, DateTimeOffset startedAt, string kind, bool retryable, string error) => new(
        null,
        new TaskFailed
        {
            TaskId = task.TaskId,
            Attempt = task.Attempt,
            WorkerId = runtime.WorkerId,
            Error = error,
            ErrorKind = kind,
            Retryable = retryable,
            StartedAt = startedAt,
            FinishedAt = clock.GetUtcNow(),
        });
}
