using WorkFleet.Contracts;

namespace WorkFleet.Dashboard.Api;

/// <summary>A wait for one task's outcome as this dispatcher records it (<see cref="TaskOutcomeHub.Watch"/>). Dispose to stop watching.</summary>
public sealed class OutcomeWatch : IDisposable
{
    private readonly Action _release;

    internal OutcomeWatch(Task<TaskFinished> outcome, Action release) => (Outcome, _release) = (outcome, release);

    /// <summary>Completes with the outcome when this dispatcher records it; never when another one does.</summary>
    public Task<TaskFinished> Outcome { get; }

    /// <inheritdoc />
    public void Dispose() => _release();
}
