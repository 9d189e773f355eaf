using Microsoft.EntityFrameworkCore;
using WorkFleet.Contracts;
using WorkFleet.Dashboard.Configuration;
using WorkFleet.Data;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.Dashboard.Api;

/// <summary>
/// Waits for a task's outcome: woken at once when this dispatcher records it (<see cref="TaskOutcomeHub"/>), and
/// reading the store every <see cref="HttpApiOptions.StorePollInterval"/> for one another dispatcher recorded.
/// </summary>
public sealed class OutcomeWaiter(TaskOutcomeHub hub, IDbContextFactory<WorkFleetDbContext> contexts, HttpApiOptions options, TimeProvider clock)
{
    /// <summary>The task's outcome, or null when it has none after <paramref name="wait"/> (or no task has that id).</summary>
    public async Task<TaskFinished?> WaitAsync(Guid taskId, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var watch = hub.Watch(taskId);
        return await WaitAsync(watch, taskId, wait, cancellationToken);
    }

    /// <summary>As the other overload, with a watch the caller started before it submitted the task.</summary>
    public async Task<TaskFinished?> WaitAsync(OutcomeWatch watch, Guid taskId, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(watch);
        var deadline = clock.GetUtcNow() + wait;
        while (true)
        {
            if (watch.Outcome.IsCompleted)
            {
                return await watch.Outcome;
            }

            if (await FindStoredAsync(taskId, cancellationToken) is { } stored)
            {
                return stored;
            }

            var left = deadline - clock.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            await Task.WhenAny(watch.Outcome, Task.Delay(left < options.StorePollInterval ? left : options.StorePollInterval, clock, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>The stored outcome of the task, or null while it has none.</summary>
    public async Task<TaskFinished?> FindStoredAsync(Guid taskId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var decided = await db.Tasks.AsNoTracking().Where(t => t.Id == taskId).Decided().FirstOrDefaultAsync(cancellationToken);
        return decided is null ? null : TaskFinishedFactory.Stored(decided);
    }
}
