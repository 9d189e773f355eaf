using Spectre.Console;
using WorkFleet.Contracts;

namespace WorkFleet.Cli.Submitting;

/// <summary>Collects the outcomes <c>workfleet submit --wait</c> waits for, with a progress bar on a terminal.</summary>
public static class OutcomeCollector
{
    /// <summary>
    /// The outcomes of <paramref name="waits"/> that finished before their deadline cancelled them, in the order of
    /// <paramref name="waits"/>; a wait that failed otherwise throws. <paramref name="onFinished"/> hears each outcome as it arrives.
    /// </summary>
    public static async Task<IReadOnlyList<TaskFinished>> CollectAsync(IReadOnlyList<Task<TaskFinished>> waits, Action<TaskFinished>? onFinished = null)
    {
        ArgumentNullException.ThrowIfNull(waits);
        await foreach (var wait in Task.WhenEach(waits))
        {
            if (wait.IsCompletedSuccessfully)
            {
                onFinished?.Invoke(wait.Result);
            }
            else if (!wait.IsCanceled)
            {
                await wait;
            }
        }

        return [.. waits.Where(w => w.IsCompletedSuccessfully).Select(w => w.Result)];
    }

    /// <summary><see cref="CollectAsync"/> drawing a bar of outcomes received against <paramref name="waits"/>' count, failures counted in its label.</summary>
    public static Task<IReadOnlyList<TaskFinished>> CollectWithProgressAsync(IAnsiConsole console, IReadOnlyList<Task<TaskFinished>> waits)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(waits);
        return console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async progress =>
            {
                var bar = progress.AddTask("outcomes", maxValue: waits.Count);
                var failed = 0;
                return await CollectAsync(waits, outcome =>
                {
                    failed += outcome.Outcome == TaskOutcome.Failed ? 1 : 0;
                    bar.Increment(1);
                    bar.Description = failed == 0 ? "outcomes" : $"outcomes ([red]{failed} failed[/])";
                });
            });
    }
}
