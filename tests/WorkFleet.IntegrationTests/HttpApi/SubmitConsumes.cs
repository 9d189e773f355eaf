using System.Collections.Concurrent;
using MassTransit;
using WorkFleet.Contracts;

namespace WorkFleet.IntegrationTests.HttpApi;

/// <summary>Counts, per task id, the <see cref="SubmitTask"/> messages a dispatcher finished consuming (a consume observer).</summary>
public sealed class SubmitConsumes : IConsumeObserver
{
    private readonly ConcurrentDictionary<Guid, int> _consumed = new();

    /// <summary>How many submits of <paramref name="taskId"/> were consumed to the end (acknowledged or faulted).</summary>
    public int Of(Guid taskId) => _consumed.GetValueOrDefault(taskId);

    /// <inheritdoc />
    public Task PreConsume<T>(ConsumeContext<T> context)
        where T : class => Task.CompletedTask;

    /// <inheritdoc />
    public Task PostConsume<T>(ConsumeContext<T> context)
        where T : class => Count(context);

    /// <inheritdoc />
    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
        where T : class => Count(context);

    private Task Count<T>(ConsumeContext<T> context)
        where T : class
    {
        if (context.Message is SubmitTask submit)
        {
            _consumed.AddOrUpdate(submit.TaskId, 1, (_, n) => n + 1);
        }

        return Task.CompletedTask;
    }
}
