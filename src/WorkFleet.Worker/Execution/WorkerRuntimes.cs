using System.Collections.Concurrent;
using WorkFleet.Worker.Configuration;

namespace WorkFleet.Worker.Execution;

/// <summary>The workers hosted by this process, one runtime per registration.</summary>
public sealed class WorkerRuntimes
{
    private readonly ConcurrentDictionary<WorkerOptions, WorkerRuntime> _runtimes = new(ReferenceEqualityComparer.Instance);

    /// <summary>All hosted workers.</summary>
    public IReadOnlyCollection<WorkerRuntime> All => [.. _runtimes.Values];

    /// <summary>The runtime of a registration, created on first use.</summary>
    public WorkerRuntime GetOrAdd(WorkerOptions options, Func<WorkerOptions, WorkerRuntime> create) => _runtimes.GetOrAdd(options, create);
}
