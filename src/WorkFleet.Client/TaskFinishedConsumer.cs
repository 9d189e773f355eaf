using MassTransit;
using WorkFleet.Contracts;

namespace WorkFleet.Client;

/// <summary>
/// Feeds outcomes into the client's <see cref="TaskOutcomeBoard"/>: each <see cref="TaskFinished"/>, and each outcome of
/// a <see cref="TaskFinishedBatch"/> (which the dispatcher sends because the client's submits say it may).
/// </summary>
public sealed class TaskFinishedConsumer(TaskOutcomeBoard board) : IConsumer<TaskFinished>, IConsumer<TaskFinishedBatch>
{
    /// <inheritdoc />
    public Task Consume(ConsumeContext<TaskFinished> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        board.Post(context.Message);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Consume(ConsumeContext<TaskFinishedBatch> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var outcome in context.Message.Outcomes ?? [])
        {
            board.Post(outcome);
        }

        return Task.CompletedTask;
    }
}
