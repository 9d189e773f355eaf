using System.Collections.Concurrent;
using MassTransit;
using WorkFleet.Contracts;

namespace WorkFleet.Pipeline.Tests.Support;

/// <summary>
/// Counts, per task, the <see cref="SubmitTask"/>, <see cref="ExecuteTask"/> and <see cref="TaskStarted"/> messages (a task in a
/// batch counting as one) sent on a fleet's bus, handed
/// to a consumer, and whose consumption ended (acknowledged or faulted): what the fleet did with each copy.
/// </summary>
public sealed class MessageLog : IConsumeObserver, ISendObserver
{
    private readonly ConcurrentDictionary<(Type Message, string Phase, Guid TaskId), int> _counts = new();

    /// <summary>Messages of type <typeparamref name="T"/> about <paramref name="taskId"/> sent.</summary>
    public int Sent<T>(Guid taskId) => Count<T>("sent", taskId);

    /// <summary>Messages of type <typeparamref name="T"/> about <paramref name="taskId"/> whose consumption started.</summary>
    public int Received<T>(Guid taskId) => Count<T>("received", taskId);

    /// <summary>Messages of type <typeparamref name="T"/> about <paramref name="taskId"/> whose consumption ended.</summary>
    public int Handled<T>(Guid taskId) => Count<T>("handled", taskId);

    /// <inheritdoc />
    public Task PreConsume<T>(ConsumeContext<T> context)
        where T : class => Record(context?.Message, "received");

    /// <inheritdoc />
    public Task PostConsume<T>(ConsumeContext<T> context)
        where T : class => Record(context?.Message, "handled");

    /// <inheritdoc />
    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
        where T : class => Record(context?.Message, "handled");

    /// <inheritdoc />
    public Task PreSend<T>(SendContext<T> context)
        where T : class => Task.CompletedTask;

    /// <inheritdoc />
    public Task PostSend<T>(SendContext<T> context)
        where T : class => Record(context?.Message, "sent");

    /// <inheritdoc />
    public Task SendFault<T>(SendContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;

    private int Count<T>(string phase, Guid taskId) => _counts.GetValueOrDefault((typeof(T), phase, taskId));

    private Task Record(object? message, string phase)
    {
        // A batch counts as one copy of each task in it.
        switch (message)
        {
            case SubmitTaskBatch submits:
                foreach (var submit in submits.Tasks)
                {
                    Record(submit, phase);
                }

                return Task.CompletedTask;
            case ExecuteTaskBatch executes:
                foreach (var execute in executes.Tasks)
                {
                    Record(execute, phase);
                }

                return Task.CompletedTask;
        }

        Guid? taskId = message switch
        {
            SubmitTask submit => submit.TaskId,
            ExecuteTask execute => execute.TaskId,
            TaskStarted started => started.TaskId,
            _ => null,
        };
        if (taskId is { } id)
        {
            _counts.AddOrUpdate((message!.GetType(), phase, id), 1, (_, n) => n + 1);
        }

        return Task.CompletedTask;
    }
}
