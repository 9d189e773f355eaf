using System.Collections.Concurrent;
using MassTransit;
using WorkFleet.Contracts;

namespace WorkFleet.IntegrationTests.Fleet;

/// <summary>
/// Every outcome a host's bus consumes (on the client's reply queue) from the moment it connected, repeats included
/// (the client's outcome board keeps only the first of each task): each <see cref="TaskFinished"/> and each outcome of a
/// <see cref="TaskFinishedBatch"/>, whose sizes are kept apart in <see cref="BatchSizes"/>.
/// </summary>
public sealed class OutcomeArrivals : IConsumeMessageObserver<TaskFinished>, IConsumeMessageObserver<TaskFinishedBatch>, IDisposable
{
    private readonly ConcurrentQueue<TaskFinished> _arrived = new();
    private readonly ConcurrentQueue<int> _batchSizes = new();
    private readonly List<ConnectHandle> _handles = [];

    private OutcomeArrivals()
    {
    }

    /// <summary>What arrived so far, alone or in batches.</summary>
    public IReadOnlyList<TaskFinished> All => [.. _arrived];

    /// <summary>How many outcomes each <see cref="TaskFinishedBatch"/> consumed so far carried.</summary>
    public IReadOnlyList<int> BatchSizes => [.. _batchSizes];

    /// <summary>Starts watching what <paramref name="bus"/> consumes.</summary>
    public static OutcomeArrivals Watch(IBus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        var arrivals = new OutcomeArrivals();
        arrivals._handles.Add(bus.ConnectConsumeMessageObserver<TaskFinished>(arrivals));
        arrivals._handles.Add(bus.ConnectConsumeMessageObserver<TaskFinishedBatch>(arrivals));
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
    public Task PreConsume(ConsumeContext<TaskFinishedBatch> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _batchSizes.Enqueue(context.Message.Outcomes.Count);
        foreach (var outcome in context.Message.Outcomes)
        {
            _arrived.Enqueue(outcome);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task PostConsume(ConsumeContext<TaskFinished> context) => Task.CompletedTask;

    /// <inheritdoc />
    public Task PostConsume(ConsumeContext<TaskFinishedBatch> context) => Task.CompletedTask;

    /// <inheritdoc />
    public Task ConsumeFault(ConsumeContext<TaskFinished> context, Exception exception) => Task.CompletedTask;

    /// <inheritdoc />
    public Task ConsumeFault(ConsumeContext<TaskFinishedBatch> context, Exception exception) => Task.CompletedTask;

    /// <inheritdoc />
    public void Dispose() => _handles.ForEach(h => h.Disconnect());
}
