namespace WorkFleet.Balancing.Strategies;

/// <summary>Chooses one worker among eligible candidates that all have a free slot.</summary>
public interface ILoadBalancingStrategy
{
    /// <summary>Configuration name, e.g. <c>weighted-least-load</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Returns the position in <paramref name="candidates"/> of the chosen worker, or -1 when empty.
    /// Must not allocate: it runs once per task.
    /// </summary>
    int Select(ReadOnlySpan<WorkerCandidate> candidates);
}
