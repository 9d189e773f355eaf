using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using WorkFleet.Contracts;
using WorkFleet.Jobs;
using WorkFleet.Worker.Observability;

namespace WorkFleet.Worker.Execution;

/// <summary>
/// Runs one attempt through the job handler registry with its timeout (alone, or in a dynamic batch when the
/// job type batches on this worker) and turns whatever happens into a result message: a success, or a
/// failure that names the problem. Only the host's own shutdown escapes as an exception (the message then
/// stays in the worker's queue). Attempts that start are measured in <see cref="WorkerMetrics"/> when given.
/// </summary>
public sealed class TaskExecutor(JobHandlerRegistry registry, TimeProvider clock, ILogger<TaskExecutor> logger, WorkerMetrics? metrics = null)
{
    /// <summary>Runs <paramref name="task"/> on <paramref name="runtime"/>.</summary>
    public async Task<ExecutionOutcome> ExecuteAsync(WorkerRuntime runtime, ExecuteTask task, CancellationToken hostStopping)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(task);
        var startedAt = clock.GetUtcNow();
        // Only what it advertises: the dispatcher routes nothing else here, so anything else did not come from it.
        if (!runtime.Advertises(task.JobType) || !registry.TryGet(task.JobType, out var handler))
        {
            runtime.OnRefused();
            return Failed(runtime, task, startedAt, ErrorKinds.UnknownJobType, retryable: false,
                $"Unknown job type '{task.JobType}'; worker {runtime.WorkerId} runs only the job types it advertises: {string.Join(", ", runtime.JobTypes)}.");
        }

        var timeout = task.Timeout ?? runtime.Options.DefaultTaskTimeout;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(hostStopping);
        switch (runtime.TrackRunning(task.TaskId, task.Attempt, limit))
        {
            case StartDecision.Cancelled:
                runtime.OnRefused();
                return Failed(runtime, task, startedAt, ErrorKinds.Cancelled, retryable: false, $"{task.JobType}: cancelled by request before it started.");
            case StartDecision.AlreadyRunning:
                runtime.OnRefused();
                logger.LogInformation("Task {TaskId} attempt {Attempt} arrived again while it runs here; the running copy reports its result", task.TaskId, task.Attempt);
                return ExecutionOutcome.Duplicate;
        }

        limit.CancelAfter(timeout);
        var watch = Stopwatch.StartNew();
        var succeeded = false;
        runtime.OnStarted();
        if (task.DispatchedAt != default)
        {
            metrics?.TaskStarted(runtime.WorkerId, task.JobType, startedAt - task.DispatchedAt);
        }

        JobExecutionContext.Current = new JobExecutionContext(task.TaskId, task.Attempt, runtime.WorkerId);
        try
        {
            var result = runtime.Batcher.TryGetBatchHandler(handler, out var batchHandler)
                ? await runtime.Batcher.ExecuteAsync(batchHandler, task.Payload, limit.Token)
                : await handler.ExecuteAsync(task.Payload, limit.Token);
            var resultBytes = Utf8Length(result);
            if (resultBytes > runtime.Options.MaxResultBytes)
            {
                runtime.OnFinished(succeeded: false, watch.Elapsed);
                var error = $"{task.JobType}: the result is {resultBytes} bytes, over the limit of {runtime.Options.MaxResultBytes} bytes " +
                    $"(WorkFleet:Worker:MaxResultBytes); it was not sent.";
                logger.LogWarning("Task {TaskId} attempt {Attempt} ({JobType}) failed: {Error}", task.TaskId, task.Attempt, task.JobType, error);
                return Failed(runtime, task, startedAt, ErrorKinds.ResultTooLarge, retryable: false, error);
            }

            runtime.OnFinished(succeeded: true, watch.Elapsed);
            succeeded = true;
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
            metrics?.TaskRan(runtime.WorkerId, task.JobType, succeeded, watch.Elapsed);
        }
    }

    /// <summary>The size of the JSON the handler already produced: measured, not serialized again.</summary>
    private static long Utf8Length(JsonElement result) =>
        result.ValueKind == JsonValueKind.Undefined ? 0 : JsonMarshal.GetRawUtf8Value(result).Length;

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
