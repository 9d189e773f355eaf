using System.Collections.Concurrent;

namespace WorkFleet.IntegrationTests.HttpApi;

/// <summary>How many times each task's job started on a worker (thread-safe).</summary>
public sealed class JobRuns
{
    private readonly ConcurrentDictionary<Guid, int> _runs = new();

    /// <summary>Counts one start of <paramref name="taskId"/>'s job and returns the count.</summary>
    public int Ran(Guid taskId) => _runs.AddOrUpdate(taskId, 1, (_, n) => n + 1);

    /// <summary>How many times <paramref name="taskId"/>'s job started.</summary>
    public int Of(Guid taskId) => _runs.GetValueOrDefault(taskId);
}
