using WorkFleet.Contracts;
using WorkFleet.Dispatcher.Autoscaling;
using WorkFleet.Dispatcher.Autoscaling.Executors;

namespace WorkFleet.Dispatcher.Tests.Autoscaling;

/// <summary>
/// A platform in memory for the autoscaler's step tests: counts workers, records every call in order, and fails on
/// request. (The Docker and Kubernetes executors are tested against the real engine and a recorded API.)
/// </summary>
internal sealed class RecordingPlatform(int workers) : IFleetExecutor, IDrainAnnouncer
{
    public List<string> Calls { get; } = [];

    public int Workers { get; private set; } = workers;

    public ExecutorException? Failure { get; set; }

    public string Name => "recording";

    public Task<int?> CountAsync(CancellationToken cancellationToken) => Do<int?>("count", () => Workers);

    public Task AddAsync(int count, CancellationToken cancellationToken) => Do($"add {count}", () => Workers += count);

    public Task ReleaseAsync(IReadOnlyList<string> workerIds, CancellationToken cancellationToken) =>
        Do($"release {string.Join(",", workerIds)}", () => Workers -= workerIds.Count);

    public Task RemoveAsync(IReadOnlyList<string> workerIds, CancellationToken cancellationToken) =>
        Do($"remove {string.Join(",", workerIds)}", () => 0);

    public Task AnnounceAsync(DrainWorker drain, CancellationToken cancellationToken)
    {
        Calls.Add($"drain {drain.WorkerId}");
        return Task.CompletedTask;
    }

    private Task<T> Do<T>(string call, Func<T> effect)
    {
        if (Failure is { } failure)
        {
            return Task.FromException<T>(failure);
        }

        Calls.Add(call);
        return Task.FromResult(effect());
    }
}
