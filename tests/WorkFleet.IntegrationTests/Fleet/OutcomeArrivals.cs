using System.Collections.Concurrent;
using MassTransit;
using WorkFleet.Contracts;

namespace WorkFleet.IntegrationTests.Fleet;

/// <summary>
/// Every <see cref="TaskFinished"/> a host's bus consumes (on the client's reply queue) from the moment it connected,
/// repeats included: the client's outcome board keeps only the first of each task.
/// </summary>
public sealed class OutcomeArrivals : IConsumeMessageObserver<TaskFinished>, IDisposable
{
    private readonly ConcurrentQueue<TaskFinished> _arrived = new();
    private ConnectHandle? _handle;

    private OutcomeArrivals()
    {
    }

    /// <summary>What arrived so far.</summary>
    public IReadOnlyList<TaskFinished> All => [.. _arrived];

    /// <summary>Starts watching what <paramref name="bus"/> consumes.</summary>
    public static OutcomeArrivals Watch(IBus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        var arrivals = new OutcomeArrivals();
        arrivals._handle = bus.ConnectConsumeMessageObserver(arrivals);
        return arrivals;
    }

    /// <summary>Waits (30 s at most) for an outcome of <paramref name="taskId"/> and returns the first.</summary>
    public async Task<TaskFinished> WaitAsync(Guid taskId) =>
        (await Eventually.UntilAsync(() => Task.FromResult(All.FirstOrDefault(f => f.TaskId == taskId)), f => f is not null, TimeSpan.FromSeconds(30), $"an outcome of task {taskId}"))!;

    /// <inheritdoc />
    public Task PreConsume(ConsumeContext<TaskFinished> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _arrived.Enqueue(context.Message);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task PostConsume(ConsumeContext<TaskFinished> context) => Task.CompletedTask;

    /// <inheritdoc />
    public Task ConsumeFault(ConsumeContext<TaskFinished> context, Exception exception) => Task.CompletedTask;

    /// <inheritdoc />
    public void Dispose() => _handle?.Disconnect();
}
