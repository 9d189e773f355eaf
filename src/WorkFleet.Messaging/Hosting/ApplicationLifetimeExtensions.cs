using Microsoft.Extensions.Hosting;

namespace WorkFleet.Messaging.Hosting;

/// <summary>Waiting for the host to have started (every hosted service, the bus among them).</summary>
public static class ApplicationLifetimeExtensions
{
    /// <summary>Completes once the host has started; throws when <paramref name="cancellationToken"/> is cancelled first.</summary>
    public static async Task WhenStartedAsync(this IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(cancellationToken);
        }
    }
}
