using System.Collections.Concurrent;
using MassTransit;
using WorkFleet.Contracts;

namespace WorkFleet.Pipeline.Tests.Support;

/// <summary>
/// Watches a producer's reply queue from some point on: the <see cref="TaskFinished"/> messages a bus's endpoints
/// consume after it connected, alone or in a <see cref="TaskFinishedBatch"/>, repeats included (the client's outcome
/// board keeps only the first of each task).
/// </summary>
public sealed class OutcomeListener : IConsumeMessageObserver<TaskFinished>, IConsumeMessageObserver<TaskFinishedBatch>, IDisposable
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<TaskFinished>> _outcomes = new();
    private readonly List<ConnectHandle> _handles = [];

    private OutcomeListener()
    {
    }

    /// <summary>Starts watching what <paramref name="bus"/> consumes.</summary>
    public static OutcomeListener Connect(IBus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        var listener = new OutcomeListener();
        listener._handles.Add(bus.ConnectConsumeMessageObserver<TaskFinished>(listener));
        listener._handles.Add(bus.ConnectConsumeMessageObserver<TaskFinishedBatch>(listener));
        return listener;
    }

    /// <summary>The first outcome of <paramref name="taskId"/> consumed since connecting (a <see cref="TimeoutException"/> after 10 s).</summary>
    public Task<TaskFinished> WaitAsync(Guid taskId) => Deadline.Within(Outcome(taskId).Task);

    /// <inheritdoc />
    public Task PreConsume(ConsumeContext<TaskFinished> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Outcome(context.Message.TaskId).TrySetResult(context.Message);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task PreConsume(ConsumeContext<TaskFinishedBatch> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var outcome in context.Message.Outcomes)
        {
            Outcome(outcome.TaskId).TrySetResult(outcome);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task PostConsume(ConsumeContext<TaskFinished> context) => Task.CompletedTask;

    /// <inheritdoc />
    public Task PostConsume(ConsumeContext<TaskFinishedBatch> context) => Task.CompletedTask;

    /// <inheritdoc />
    public Task ConsumeFault(ConsumeContext<TaskFinishedBatch> context, Exception exception) => Task.CompletedTask;

    /// <inheritdoc />
    public Task ConsumeFault(ConsumeContext<TaskFinished> context, Exception exception) => Task.CompletedTask;

    /// <inheritdoc />
    public void Dispose() => _handles.ForEach(h => h.Disconnect());

    private TaskCompletionSource<TaskFinished> Outcome(Guid taskId) =>
        _outcomes.GetOrAdd(taskId, _ => new TaskCompletionSource<TaskFinished>(TaskCreationOptions.RunContinuationsAsynchronously));
}
