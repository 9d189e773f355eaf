using MassTransit;
using WorkFleet.Contracts;

namespace WorkFleet.Client;

/// <summary>Feeds outcomes into the client's <see cref="TaskOutcomeBoard"/>.</summary>
public sealed class TaskFinishedConsumer(TaskOutcomeBoard board) : IConsumer<TaskFinished>
{
    /// <inheritdoc />
    public Task Consume(ConsumeContext<TaskFinished> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        board.Post(context.Message);
        return Task.CompletedTask;
    }
}
