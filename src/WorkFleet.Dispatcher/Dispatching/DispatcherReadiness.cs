namespace WorkFleet.Dispatcher.Dispatching;

/// <summary>Completes once the schema is migrated and the fleet view and ledger are loaded from the store.</summary>
public sealed class DispatcherReadiness
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True once the dispatcher is ready.</summary>
    public bool IsReady => _ready.Task.IsCompleted;

    /// <summary>Marks the dispatcher ready.</summary>
    public void SetReady() => _ready.TrySetResult();

    /// <summary>Waits until ready; consumers call this so no message is handled against a half-loaded view.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);
}
