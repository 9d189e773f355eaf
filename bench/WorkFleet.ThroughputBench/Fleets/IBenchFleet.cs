using WorkFleet.ThroughputBench.Processes;

namespace WorkFleet.ThroughputBench.Fleets;

/// <summary>A dispatcher and its workers, each a process, ready to take tasks on <see cref="SubmitQueue"/>.</summary>
public interface IBenchFleet : IAsyncDisposable
{
    /// <summary>Where the producer sends tasks.</summary>
    string SubmitQueue { get; }

    /// <summary>
    /// Whether the fleet takes many tasks in one submit message (WorkFleet's <c>SubmitTaskBatch</c>); the raw pipelines
    /// take one message per task.
    /// </summary>
    bool TakesBatches { get; }

    /// <summary>The (first) dispatcher process.</summary>
    ChildProcess Dispatcher { get; }

    /// <summary>Every dispatcher process.</summary>
    IReadOnlyList<ChildProcess> Dispatchers { get; }

    /// <summary>The worker processes.</summary>
    IReadOnlyList<ChildProcess> Workers { get; }

    /// <summary>How many of <paramref name="taskIds"/> have their outcome stored as succeeded, or null when the fleet stores nothing.</summary>
    Task<long?> StoredSuccessesAsync(IReadOnlyCollection<Guid> taskIds);
}
