using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Dispatching;

namespace WorkFleet.IntegrationTests.HttpApi;

/// <summary>Counts the outcomes a dispatcher recorded (its outcome hook).</summary>
public sealed class OutcomeCount : ITaskOutcomeObserver
{
    private int _count;

    /// <summary>How many outcomes were recorded.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <inheritdoc />
    public void Recorded(TaskFinished outcome) => Interlocked.Increment(ref _count);
}
