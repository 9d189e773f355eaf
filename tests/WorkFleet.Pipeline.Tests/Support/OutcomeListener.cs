using System.Collections.Concurrent;
using MassTransit;
using WorkFleet.Contracts;

namespace WorkFleet.Pipeline.Tests.Support;

/// <summary>
/// A producer that starts listening late: a temporary queue connected to a running fleet's bus, receiving only
/// the <see cref="TaskFinished"/> events published after it connected.
/// </summary>
public sealed class OutcomeListener : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<TaskFinished>> _outcomes = new();
    private HostReceiveEndpointHandle? _endpoint;

    private OutcomeListener()
    {
    }

    /// <summary>Connects a listener to <paramref name="bus"/> and returns it once its queue receives.</summary>
    public static async Task<OutcomeListener> ConnectAsync(IBus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        var listener = new OutcomeListener();
        listener._endpoint = bus.ConnectReceiveEndpoint(new TemporaryEndpointDefinition(), null, e => e.Handler<TaskFinished>(context =>
        {
            listener.Outcome(context.Message.TaskId).TrySetResult(context.Message);
            return Task.CompletedTask;
        }));
        await Deadline.Within(listener._endpoint.Ready);
        return listener;
    }

    /// <summary>The first outcome of <paramref name="taskId"/> this listener received (a <see cref="TimeoutException"/> after 10 s).</summary>
    public Task<TaskFinished> WaitAsync(Guid taskId) => Deadline.Within(Outcome(taskId).Task);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_endpoint is not null)
        {
            await _endpoint.StopAsync(CancellationToken.None);
        }
    }

    private TaskCompletionSource<TaskFinished> Outcome(Guid taskId) =>
        _outcomes.GetOrAdd(taskId, _ => new TaskCompletionSource<TaskFinished>(TaskCreationOptions.RunContinuationsAsynchronously));
}
