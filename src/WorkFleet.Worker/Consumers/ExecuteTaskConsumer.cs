using MassTransit;
using Microsoft.Extensions.Logging;
using WorkFleet.Contracts;
using WorkFleet.Messaging;
using WorkFleet.Messaging.Configuration;
using WorkFleet.Worker.Configuration;
using WorkFleet.Worker.Execution;

namespace WorkFleet.Worker.Consumers;

/// <summary>
/// Runs the tasks of one worker's queue, never more than its capacity at once (<see cref="WorkerRuntime.WaitForSlotAsync"/>), and sends
/// the result back to the dispatcher's results queue, preceded by <see cref="TaskStarted"/> when the task runs
/// longer than <see cref="WorkerOptions.StartedReportDelay"/>. Results that finish while another is being sent go
/// together in one batch (<see cref="ResultSender"/>). The message is acknowledged after its result is sent, so a
/// crash mid-task leaves it in the durable queue. The attempts of an <see cref="ExecuteTaskBatch"/> run side by side,
/// each as if it had come alone, and the batch is acknowledged when every one of them has sent its result.
/// </summary>
public sealed class ExecuteTaskConsumer(WorkerRuntime runtime, TaskExecutor executor, TransportOptions transport, TimeProvider clock, ILogger<ExecuteTaskConsumer> logger)
    : IConsumer<ExecuteTask>, IConsumer<ExecuteTaskBatch>
{
    private readonly Uri _results = FleetAddresses.Results(transport);
    private readonly TimeSpan _confirmTimeout = transport.RabbitMq.ConfirmTimeout;

    /// <inheritdoc />
    public Task Consume(ConsumeContext<ExecuteTask> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return RunAsync(context.Message, context);
    }

    /// <inheritdoc />
    public Task Consume(ConsumeContext<ExecuteTaskBatch> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.WhenAll(context.Message.Tasks.Select(task => RunAsync(task, context)));
    }

    private async Task RunAsync(ExecuteTask task, ConsumeContext context)
    {
        var results = await context.GetSendEndpoint(_results);
        runtime.OnReceived();
        await runtime.WaitForSlotAsync(context.CancellationToken);
        ExecutionOutcome outcome;
        try
        {
            outcome = await ExecuteAsync(task, context, results);
        }
        finally
        {
            runtime.ReleaseSlot();
        }

        if (outcome.IsDuplicate)
        {
            return;
        }

        await SendResultAsync(task, outcome, results, context.CancellationToken);
    }

    /// <summary>
    /// Sends the result, alone or in a batch; the message is acknowledged only once that is on the broker. Each send
    /// waits at most the confirm deadline (<see cref="BrokerConfirmation"/>) and a failed one is tried again
    /// (<see cref="ResultRetry"/>).
    /// </summary>
    private Task SendResultAsync(ExecuteTask task, ExecutionOutcome outcome, ISendEndpoint results, CancellationToken stopping)
    {
        Func<object, Task> send = message => BrokerConfirmation.WithinAsync(_confirmTimeout, token => results.Send(message, token));
        return ResultRetry.SendAsync(
            () => outcome.Completed is { } completed ? runtime.Results.SendAsync(completed, send) : runtime.Results.SendAsync(outcome.Failed!, send),
            (error, delay) => logger.LogWarning("The result of task {TaskId} attempt {Attempt} was not sent ({Error}); trying again in {Delay} s", task.TaskId, task.Attempt, error.Message, delay.TotalSeconds),
            clock,
            stopping);
    }

    private async Task<ExecutionOutcome> ExecuteAsync(ExecuteTask task, ConsumeContext context, ISendEndpoint results)
    {
        var started = new TaskStarted { TaskId = task.TaskId, Attempt = task.Attempt, WorkerId = runtime.WorkerId, StartedAt = clock.GetUtcNow() };
        var reportDelay = runtime.Options.StartedReportDelay;
        if (reportDelay <= TimeSpan.Zero)
        {
            await ReportStartedAsync(started, results, context.CancellationToken);
        }

        // On a pool thread, so that a handler that computes without yielding cannot keep its start unreported.
        var execution = reportDelay > TimeSpan.Zero
            ? Task.Run(() => executor.ExecuteAsync(runtime, task, context.CancellationToken), CancellationToken.None)
            : executor.ExecuteAsync(runtime, task, context.CancellationToken);
        if (reportDelay > TimeSpan.Zero && !await FinishesWithinAsync(execution, reportDelay))
        {
            await ReportStartedAsync(started, results, context.CancellationToken);
        }

        return await execution;
    }

    /// <summary>
    /// Tells the dispatcher the attempt runs. Only news: a start not reported shows when the result lands, so a send the
    /// broker does not take in time is logged and the task runs on, holding its run slot no longer than that.
    /// </summary>
    private async Task ReportStartedAsync(TaskStarted started, ISendEndpoint results, CancellationToken stopping)
    {
        try
        {
            await BrokerConfirmation.WithinAsync(_confirmTimeout, token => results.Send(started, token), stopping);
        }
        catch (SendNotConfirmedException ex)
        {
            logger.LogWarning("The start of task {TaskId} attempt {Attempt} was not reported ({Error}); it runs on", started.TaskId, started.Attempt, ex.Message);
        }
    }

    private async Task<bool> FinishesWithinAsync(Task execution, TimeSpan delay)
    {
        try
        {
            // One wait with its timer, instead of a delay task, its cancellation source and a WhenAny per attempt.
            await execution.WaitAsync(delay, clock);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (Exception) when (execution.IsCompleted)
        {
            // Its outcome (a failure of the host's own shutdown) is the caller's to observe.
            return true;
        }
    }
}
