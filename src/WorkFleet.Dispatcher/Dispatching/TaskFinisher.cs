using MassTransit;
using Microsoft.Extensions.Logging;
using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Observability;
using WorkFleet.Dispatcher.Persistence;

namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>
/// The one way a task's outcome leaves the dispatcher: once the outcome is stored, it is counted, failures are
/// logged, and <see cref="TaskFinished"/> is published to producers. Producers see an outcome at least once
/// (a redelivered result republishes the stored one) and ignore repeats.
/// </summary>
public sealed class TaskFinisher(TaskStore tasks, DispatcherMetrics metrics, TaskRates rates, TimeProvider clock, ILogger<TaskFinisher> logger)
{
    /// <summary>
    /// Fails a task no worker holds (waiting for a slot or for its next attempt) and announces it; false when the
    /// task was not waiting any more (running, decided or unknown), in which case nothing changed.
    /// </summary>
    public async Task<bool> FailWaitingAsync(IPublishEndpoint publisher, Guid taskId, int attempt, string error, string errorKind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        var now = clock.GetUtcNow();
        if (!await tasks.FailPendingAsync(taskId, error, errorKind, now.UtcDateTime, cancellationToken))
        {
            return false;
        }

        await AnnounceAsync(publisher, TaskFinishedFactory.Failed(taskId, attempt, null, error, errorKind, now), cancellationToken);
        return true;
    }

    /// <summary>Counts, logs and publishes an outcome the caller has just stored.</summary>
    public async Task AnnounceAsync(IPublishEndpoint publisher, TaskFinished outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(outcome);
        metrics.TaskFinished(outcome.Outcome, outcome.ErrorKind);
        rates.Completed();
        if (outcome.Outcome != TaskOutcome.Succeeded)
        {
            logger.LogWarning("Task {TaskId} failed (attempt {Attempt}{Worker}, {Kind}): {Error}",
                outcome.TaskId, outcome.Attempt, outcome.WorkerId is null ? "" : $" on {outcome.WorkerId}", outcome.ErrorKind, outcome.Error);
        }

        await publisher.Publish(outcome, cancellationToken);
    }

    /// <summary>
    /// Publishes again the stored outcome of a task that attempt <paramref name="attempt"/> decided: a result that
    /// changed nothing may be the redelivery of the one that decided it, whose outcome event was never published
    /// (a dispatcher stopped between storing and publishing), and no producer must wait forever for a task that is
    /// done. A result of a superseded attempt publishes nothing. Not counted again.
    /// </summary>
    public async Task RepublishIfDecidedAsync(IPublishEndpoint publisher, Guid taskId, int attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        if (await tasks.FindDecidedByAsync(taskId, attempt, cancellationToken) is not { } decided)
        {
            logger.LogDebug("Result of task {TaskId} attempt {Attempt} did not decide its outcome (superseded)", taskId, attempt);
            return;
        }

        logger.LogDebug("Result of task {TaskId} attempt {Attempt} repeats the one that decided it; publishing the stored outcome again", taskId, attempt);
        await publisher.Publish(TaskFinishedFactory.Stored(decided), cancellationToken);
    }
}
