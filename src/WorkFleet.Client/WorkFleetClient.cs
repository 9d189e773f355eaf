using System.Text.Json;
using MassTransit;
using WorkFleet.Contracts;
using WorkFleet.Messaging;
using WorkFleet.Messaging.Configuration;
using WorkFleet.Messaging.Submitting;

namespace WorkFleet.Client;

/// <summary>Producer SDK: submit tasks and await their outcomes.</summary>
public sealed class WorkFleetClient(ISendEndpointProvider sendEndpoints, TaskOutcomeBoard outcomes, ClientReplyQueue replyQueue, TransportOptions transport, TimeProvider clock)
{
    private readonly Uri _submit = FleetAddresses.Submit(transport);
    private readonly Uri _cancel = FleetAddresses.Cancel(transport);

    /// <summary>Outcomes as they arrive (only while listening for results).</summary>
    public TaskOutcomeBoard Outcomes => outcomes;

    /// <summary>Builds a task with a new id; <paramref name="expectedCost"/> is its cost hint (see <see cref="SubmitTask.ExpectedCost"/>).</summary>
    public SubmitTask CreateTask(string jobType, JsonElement payload, int priority = 0, IReadOnlyList<string>? requiredCapabilities = null, TimeSpan? timeout = null, double? expectedCost = null) => new()
    {
        TaskId = Guid.NewGuid(),
        JobType = jobType,
        Payload = payload,
        Priority = priority,
        RequiredCapabilities = requiredCapabilities ?? [],
        Timeout = timeout,
        ExpectedCost = expectedCost,
        SubmittedAt = clock.GetUtcNow(),
    };

    /// <summary>
    /// Sends one task to the submit queue; returns its id. Its outcome will be sent to this client's reply queue
    /// (when it listens for results).
    /// </summary>
    public async Task<Guid> SubmitAsync(SubmitTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        var endpoint = await sendEndpoints.GetSendEndpoint(_submit);
        await BrokerConfirmation.WithinAsync(transport.RabbitMq.ConfirmTimeout, token => endpoint.Send(task, (SendContext<SubmitTask> context) => StampReplyAddress(context), token), cancellationToken);
        return task.TaskId;
    }

    /// <summary>
    /// Sends many tasks, packed into few messages (<see cref="SubmitTaskBatch"/> of up to
    /// <see cref="SubmitPacking.MaxTasksPerMessage"/> tasks, see <see cref="SubmitPacking"/>); returns when the broker has
    /// taken them all. Each task is then handled as if it had been submitted alone.
    /// </summary>
    public async Task SubmitManyAsync(IEnumerable<SubmitTask> tasks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var endpoint = await sendEndpoints.GetSendEndpoint(_submit);
        await endpoint.SendPackedAsync([.. tasks], StampReplyAddress, transport.RabbitMq.ConfirmTimeout, cancellationToken);
    }

    /// <summary>
    /// Asks the fleet to cancel a task: one still waiting fails at once as <c>cancelled</c>, a running one
    /// has its handler cancelled, a finished one keeps its outcome. The dispatcher honours it only from the broker
    /// user that submitted the task, or from an operator (<c>WorkFleet:Dispatcher:Trust:OperatorUsers</c>).
    /// </summary>
    public async Task CancelAsync(Guid taskId, string? reason = null, CancellationToken cancellationToken = default)
    {
        var endpoint = await sendEndpoints.GetSendEndpoint(_cancel);
        var cancel = new CancelTask { TaskId = taskId, Reason = reason };
        await BrokerConfirmation.WithinAsync(transport.RabbitMq.ConfirmTimeout, token => endpoint.Send(cancel, token), cancellationToken);
    }

    /// <summary>Waits for the outcome of a submitted task.</summary>
    public Task<TaskFinished> WaitAsync(Guid taskId, CancellationToken cancellationToken = default) => outcomes.WaitAsync(taskId, cancellationToken);

    /// <summary>Submits a task and waits for its outcome.</summary>
    public async Task<TaskFinished> SubmitAndWaitAsync(SubmitTask task, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        var outcome = WaitAsync(task.TaskId, cancellationToken);
        await SubmitAsync(task, cancellationToken);
        return await outcome;
    }

    /// <summary>
    /// Tells the dispatcher that this client's reply queue accepts <see cref="TaskFinishedBatch"/> as well as
    /// <see cref="TaskFinished"/> (<see cref="TaskFinishedConsumer"/> takes both); stamped on every submit that names the queue.
    /// </summary>
    internal static void StampOutcomeBatches(SendContext context) => context.Headers.Set(ProducerHeaders.OutcomeBatches, "true");

    private void StampReplyAddress(SendContext context)
    {
        if (replyQueue.Address is { } address)
        {
            context.ResponseAddress = address;
            StampOutcomeBatches(context);
        }
    }
}
