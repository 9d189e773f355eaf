using WorkFleet.Contracts;
using WorkFleet.Data.Entities;

namespace WorkFleet.Pipeline.Tests;

public sealed class CancellationTests
{
    private static readonly FleetSetup OneSlot = new() { Workers = [new("single", Capacity: 1)] };

    [Fact]
    public async Task Cancel_TaskWaitingForASlot_FailsCancelledWithoutEverRunning()
    {
        // Arrange: the only slot is held; a second task waits for it.
        await using var fleet = await InProcessFleet.StartAsync(OneSlot);
        var holder = fleet.Client.CreateTask(GatedJob.Type, EchoJob.Payload("hold"));
        var waiting = fleet.Client.CreateTask(EchoJob.Type, EchoJob.Payload("wait"));
        await fleet.Client.SubmitAsync(holder);
        await Deadline.Within(fleet.Jobs.WhenStarted(holder.TaskId));
        await fleet.Client.SubmitAsync(waiting);
        await fleet.WaitForTaskAsync(waiting.TaskId, t => t.Status == TaskState.Pending, "the second task recorded, waiting");

        // Act
        await fleet.Client.CancelAsync(waiting.TaskId, "no longer needed");
        var cancelled = await fleet.OutcomeAsync(waiting.TaskId);

        // Assert: failed as cancelled, with the reason, before any attempt.
        Assert.Equal((TaskOutcome.Failed, "cancelled"), (cancelled.Outcome, cancelled.ErrorKind));
        Assert.Contains("no longer needed", cancelled.Error, StringComparison.Ordinal);
        var stored = await fleet.FindTaskAsync(waiting.TaskId);
        Assert.Equal((TaskState.Failed, "cancelled"), (stored!.Status, stored.ErrorKind));
        Assert.Contains("no longer needed", stored.Error, StringComparison.Ordinal);

        // ... and it stays so once the slot is free again: the dispatcher lets go of its submit without running it,
        // and runs the next task.
        fleet.Jobs.Open(holder.TaskId);
        Assert.Equal(TaskOutcome.Succeeded, (await fleet.OutcomeAsync(holder.TaskId)).Outcome);
        await fleet.SubmitsHandledAsync(waiting.TaskId, 1);
        var next = fleet.Client.CreateTask(EchoJob.Type, EchoJob.Payload("next"));
        Assert.Equal(TaskOutcome.Succeeded, (await fleet.SubmitAndWaitAsync(next)).Outcome);
        Assert.Empty(await fleet.AttemptsAsync(waiting.TaskId));
        Assert.Equal(0, fleet.Jobs.Calls(waiting.TaskId));
        Assert.Equal(TaskState.Failed, (await fleet.FindTaskAsync(waiting.TaskId))!.Status);
    }

    [Fact]
    public async Task Cancel_RunningTask_ItsJobIsCancelledAndTheTaskFailsCancelledAtAttempt1()
    {
        // Arrange: a task that runs until it is released or cancelled.
        await using var fleet = await InProcessFleet.StartAsync(OneSlot);
        var running = fleet.Client.CreateTask(GatedJob.Type, EchoJob.Payload("run"));
        await fleet.Client.SubmitAsync(running);
        await Deadline.Within(fleet.Jobs.WhenStarted(running.TaskId));

        // Act
        await fleet.Client.CancelAsync(running.TaskId, "stop it");
        var cancelled = await fleet.OutcomeAsync(running.TaskId);

        // Assert: the job saw its token fire; the task failed as cancelled on its one attempt.
        Assert.True(fleet.Jobs.WasCancelled(running.TaskId));
        Assert.Equal((TaskOutcome.Failed, "cancelled", 1, "single"), (cancelled.Outcome, cancelled.ErrorKind, cancelled.Attempt, cancelled.WorkerId));
        var stored = await fleet.FindTaskAsync(running.TaskId);
        Assert.Equal((TaskState.Failed, "cancelled", 1), (stored!.Status, stored.ErrorKind, stored.Attempt));
        var attempt = Assert.Single(await fleet.AttemptsAsync(running.TaskId));
        Assert.Equal((AttemptState.Failed, "cancelled"), (attempt.Status, attempt.ErrorKind));
        Assert.Null(attempt.RetryAt);
        Assert.Equal(1, fleet.Jobs.Calls(running.TaskId));
    }
}
