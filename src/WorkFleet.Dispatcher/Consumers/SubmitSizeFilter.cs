using System.Globalization;
using MassTransit;
using MassTransit.Middleware.Rescue;
using MassTransit.Transports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;
using WorkFleet.Dispatcher.Configuration;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.Dispatcher.Persistence;

namespace WorkFleet.Dispatcher.Consumers;

/// <summary>
/// The submit queue's size limit, enforced on the body's length before any deserializer runs (first filter of the
/// receive pipe). A body over <see cref="DispatcherOptions.MaxSubmitBytes"/> is never deserialized: its task id is
/// looked for with <see cref="SubmitTaskIdScanner"/> (and the producer's reply address beside it); with one, the task is stored as Failed
/// <see cref="ErrorKinds.PayloadTooLarge"/> and announced like any invalid task (a redelivery finds it stored and
/// announces it again); without one, the message is moved to the error queue with the reason as its fault message,
/// which <c>workfleet errors</c> shows. Either way the delivery is then acknowledged.
/// </summary>
public sealed class SubmitSizeFilter(
    IOptions<DispatcherOptions> options,
    DispatcherReadiness readiness,
    TaskStore tasks,
    TaskFinisher finisher,
    OutcomeReplies replies,
    IServiceProvider services,
    TimeProvider clock,
    ILogger<SubmitSizeFilter> logger) : IFilter<ReceiveContext>
{
    /// <inheritdoc />
    public async Task Send(ReceiveContext context, IPipe<ReceiveContext> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var limit = options.Value.MaxSubmitBytes;
        var length = context.Body.Length ?? context.Body.GetBytes().LongLength;
        if (length <= limit)
        {
            await next.Send(context);
            return;
        }

        var error = string.Create(CultureInfo.InvariantCulture,
            $"The submit message is {length} bytes, over the limit of {limit} bytes (WorkFleet:Dispatcher:MaxSubmitBytes); it was not read.");
        if (SubmitTaskIdScanner.FindTaskId(context.Body.GetBytes()) is { } taskId)
        {
            await FailTaskAsync(context, taskId, error);
        }
        else
        {
            await MoveToErrorQueueAsync(context, new SubmitTooLargeException(error + " It names no task id, so no task was recorded."));
        }
    }

    /// <inheritdoc />
    public void Probe(ProbeContext context) => context?.CreateFilterScope("workfleet-submit-size");

    private async Task FailTaskAsync(ReceiveContext context, Guid taskId, string error)
    {
        var cancellationToken = context.CancellationToken;
        await readiness.WaitAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var route = replies.RouteOf(context, SubmitTaskIdScanner.FindResponseAddress(context.Body.GetBytes()), taskId);
        var stored = await tasks.RecordSubmittedAsync(new TaskRecord
        {
            Id = taskId,
            JobType = string.Empty,
            Payload = "null",
            Status = TaskState.Failed,
            SubmittedAt = now,
            CreatedAt = now,
            FinishedAt = now,
            Error = error,
            ErrorKind = ErrorKinds.PayloadTooLarge,
            ReplyTo = route.ReplyTo,
            SubmittedBy = route.SubmittedBy,
        }, cancellationToken);
        if (stored is { Status: TaskState.Failed, ErrorKind: ErrorKinds.PayloadTooLarge })
        {
            await finisher.AnnounceAsync(services.GetRequiredService<IBus>(), TaskFinishedFactory.Stored(stored), stored, cancellationToken);
        }
        else
        {
            logger.LogWarning("Task {TaskId}: an oversized submit ({Error}) repeats an id already stored as {Status}; ignored", taskId, error, stored.Status);
        }
    }

    private async Task MoveToErrorQueueAsync(ReceiveContext context, SubmitTooLargeException exception)
    {
        logger.LogWarning("Submit message {MessageId} moved to the error queue: {Error}", context.GetMessageId(), exception.Message);
        if (!context.TryGetPayload(out IErrorTransport? errorTransport))
        {
            throw new TransportException(context.InputAddress, "The receive endpoint has no error transport to move the oversized submit message to.");
        }

        // What MassTransit's own rescue filter does with a message that faulted: moved with the exception's headers.
        await errorTransport.Send(new RescueExceptionReceiveContext(context, exception));
        await context.NotifyFaulted(exception);
    }
}
