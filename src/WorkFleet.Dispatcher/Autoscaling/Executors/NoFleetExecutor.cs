namespace WorkFleet.Dispatcher.Autoscaling.Executors;

/// <summary>
/// Recommend only: nothing is started or removed here. The desired count is exported (<c>/metrics</c>,
/// <c>/api/autoscaler</c>) for an external scaler such as KEDA, which also chooses the workers it removes: no
/// worker is drained from here.
/// </summary>
public sealed class NoFleetExecutor : IFleetExecutor
{
    /// <inheritdoc />
    public string Name => ExecutorNames.None;

    /// <inheritdoc />
    public Task<int?> CountAsync(CancellationToken cancellationToken) => Task.FromResult<int?>(null);

    /// <inheritdoc />
    public Task AddAsync(int count, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task ReleaseAsync(IReadOnlyList<string> workerIds, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task RemoveAsync(IReadOnlyList<string> workerIds, CancellationToken cancellationToken) => Task.CompletedTask;
}
