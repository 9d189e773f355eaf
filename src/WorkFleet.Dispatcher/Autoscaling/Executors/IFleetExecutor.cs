namespace WorkFleet.Dispatcher.Autoscaling.Executors;

/// <summary>
/// Carries out what the autoscaler decides on a platform (Docker Engine, Kubernetes, or nothing). Implementations
/// do the I/O only: which workers to remove, and when, is decided by the autoscaler.
/// </summary>
/// <remarks>
/// Scale-down is two calls. <see cref="ReleaseAsync"/> comes first, before the workers are told to drain: the
/// platform must not start them again once they exit (Docker: restart policy off; Kubernetes: pod-deletion-cost
/// on exactly those pods, then replicas lowered). <see cref="RemoveAsync"/> comes after they reported Stopped or
/// their drain timeout passed: whatever is left of them goes (Docker: the containers are removed).
/// </remarks>
public interface IFleetExecutor
{
    /// <summary>Configuration name: <c>none</c>, <c>docker</c> or <c>kubernetes</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Workers the platform runs or is starting (containers, replicas), which counts the ones not yet heartbeating.
    /// Null when the executor does not manage workers (<c>none</c>): the autoscaler then counts heartbeating workers.
    /// </summary>
    Task<int?> CountAsync(CancellationToken cancellationToken);

    /// <summary>Starts <paramref name="count"/> more workers (count &gt; 0).</summary>
    Task AddAsync(int count, CancellationToken cancellationToken);

    /// <summary>Prepares the removal of <paramref name="workerIds"/> (ids as in their heartbeats), before they drain.</summary>
    Task ReleaseAsync(IReadOnlyList<string> workerIds, CancellationToken cancellationToken);

    /// <summary>Removes what is left of <paramref name="workerIds"/>, which have drained or whose drain timed out.</summary>
    Task RemoveAsync(IReadOnlyList<string> workerIds, CancellationToken cancellationToken);
}
