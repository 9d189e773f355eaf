using MassTransit;
using WorkFleet.Contracts;

namespace WorkFleet.Dispatcher.Autoscaling;

/// <summary>Tells every dispatcher and the worker itself that a worker is draining.</summary>
public interface IDrainAnnouncer
{
    /// <summary>Announces <paramref name="drain"/>.</summary>
    Task AnnounceAsync(DrainWorker drain, CancellationToken cancellationToken);
}

/// <summary>Publishes <see cref="DrainWorker"/> on the bus (fanned out to dispatchers and workers' control queues).</summary>
public sealed class BusDrainAnnouncer(IBus bus) : IDrainAnnouncer
{
    /// <inheritdoc />
    public Task AnnounceAsync(DrainWorker drain, CancellationToken cancellationToken) => bus.Publish(drain, cancellationToken);
}
