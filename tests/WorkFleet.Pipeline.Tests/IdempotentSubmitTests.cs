using Microsoft.EntityFrameworkCore;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;

namespace WorkFleet.Pipeline.Tests;

public sealed class IdempotentSubmitTests
{
    [Fact]
    public async Task Submit_SameTaskIdAgainAfterItFinished_RunsOnce_OutcomeUnchanged()
    {
        // Arrange
        await using var fleet = await InProcessFleet.StartAsync();
        var task = fleet.Client.CreateTask(EchoJob.Type, EchoJob.Payload("once"));
        var first = await fleet.SubmitAndWaitAsync(task);
        var stored = await fleet.FindTaskAsync(task.TaskId);

        // Act
        await fleet.Client.SubmitAsync(task);
        await fleet.SubmitsHandledAsync(task.TaskId, 2);

        // Assert
        Assert.Equal(TaskOutcome.Succeeded, first.Outcome);
        Assert.Equal(1, fleet.Jobs.Calls(task.TaskId));
        var after = await fleet.FindTaskAsync(task.TaskId);
        Assert.Equal((stored!.Status, stored.Attempt, stored.Result, stored.FinishedAt), (after!.Status, after.Attempt, after.Result, after.FinishedAt));
        Assert.Single(await fleet.AttemptsAsync(task.TaskId));
    }

    [Fact]
    public async Task Submit_SameTaskIdTwiceAtOnce_OneTaskOneAttemptOneOutcome()
    {
        // Arrange: one slot, so whichever submit the dispatcher takes second finds the task recorded.
        await using var fleet = await InProcessFleet.StartAsync(new FleetSetup { Workers = [new("single", Capacity: 1)] });
        var task = fleet.Client.CreateTask(EchoJob.Type, EchoJob.Payload("twice"));

        // Act
        await fleet.Client.SubmitManyAsync([task, task]);
        var finished = await fleet.OutcomeAsync(task.TaskId);
        await fleet.SubmitsHandledAsync(task.TaskId, 2);

        // Assert: execution is at-least-once (a copy the dispatcher takes while the attempt is open is sent again),
        // but the task, its attempt and its outcome exist once.
        Assert.Equal((TaskOutcome.Succeeded, 1), (finished.Outcome, finished.Attempt));
        await using var db = await fleet.OpenStoreAsync();
        Assert.Equal(1, await db.Tasks.CountAsync(t => t.Id == task.TaskId));
        var attempt = Assert.Single(await fleet.AttemptsAsync(task.TaskId));
        Assert.Equal(AttemptState.Succeeded, attempt.Status);
        Assert.Equal(TaskState.Succeeded, (await fleet.FindTaskAsync(task.TaskId))!.Status);
    }

    // A second ExecuteTask for an attempt that runs on a worker with a free slot (a producer's resubmit, or a redelivery
    // after a dispatcher crash) must not be reported as a failure: the worker lets the running copy report.
    [Fact]
    public async Task Submit_SameTaskIdAgainWhileItRuns_TheRunningAttemptStillDecidesTheOutcome()
    {
        // Arrange: a task running on a worker with a slot to spare.
        await using var fleet = await InProcessFleet.StartAsync(new FleetSetup { Workers = [new("roomy", Capacity: 2)] });
        var task = fleet.Client.CreateTask(GatedJob.Type, EchoJob.Payload("run"));
        await fleet.Client.SubmitAsync(task);
        await Deadline.Within(fleet.Jobs.WhenStarted(task.TaskId));

        // Act: the producer resubmits (say, after a publish it could not confirm); once the worker has dealt with
        // every copy of the attempt the dispatcher sent but the running one, the job finishes.
        await fleet.Client.SubmitAsync(task);
        await fleet.SubmitsHandledAsync(task.TaskId, 2);
        var copies = fleet.Messages.Sent<ExecuteTask>(task.TaskId);
        await Eventually.UntilAsync(
            () => Task.FromResult(fleet.Messages.Handled<ExecuteTask>(task.TaskId)),
            handled => handled >= copies - 1,
            TimeSpan.FromSeconds(30),
            $"{copies - 1} extra copies of the attempt handled by the worker");
        fleet.Jobs.Open(task.TaskId);
        var finished = await fleet.OutcomeAsync(task.TaskId);

        // Assert: resubmitting must not change the outcome of the task it names.
        Assert.Equal((TaskOutcome.Succeeded, null as string), (finished.Outcome, finished.ErrorKind));
        var stored = await fleet.FindTaskAsync(task.TaskId);
        Assert.Equal((TaskState.Succeeded, 1), (stored!.Status, stored.Attempt));
    }
}
