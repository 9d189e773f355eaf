using WorkFleet.Contracts;
using WorkFleet.Data.Entities;

namespace WorkFleet.Pipeline.Tests;

/// <summary>A worker reports a task started only once it has run for the worker's StartedReportDelay.</summary>
public sealed class StartedReportTests
{
    [Fact]
    public async Task TaskFinishingBeforeTheReportDelay_IsReportedByItsResultAlone()
    {
        // Arrange: a delay no test task reaches.
        await using var fleet = await InProcessFleet.StartAsync(new FleetSetup { Workers = [new("patient", StartedReportDelay: TimeSpan.FromHours(1))] });
        var task = fleet.Client.CreateTask(EchoJob.Type, EchoJob.Payload("quick"));

        // Act
        var outcome = await fleet.SubmitAndWaitAsync(task);

        // Assert: succeeded, no TaskStarted on the wire, and the attempt still records when it started.
        Assert.Equal(TaskOutcome.Succeeded, outcome.Outcome);
        Assert.Equal(0, fleet.Messages.Sent<TaskStarted>(task.TaskId));
        var attempt = Assert.Single(await fleet.AttemptsAsync(task.TaskId));
        Assert.Equal(AttemptState.Succeeded, attempt.Status);
        Assert.NotNull(attempt.StartedAt);
    }

    [Theory]
    [InlineData(GatedJob.Type, 0)]
    [InlineData(GatedJob.Type, 50)]
    [InlineData(BlockingJob.Type, 50)]
    public async Task TaskStillRunningAfterTheReportDelay_IsStoredRunning(string jobType, int delayMs)
    {
        // Arrange: a task that holds its slot (awaiting, or holding its thread) until the test lets it finish.
        await using var fleet = await InProcessFleet.StartAsync(new FleetSetup { Workers = [new("eager", StartedReportDelay: TimeSpan.FromMilliseconds(delayMs))] });
        var task = fleet.Client.CreateTask(jobType, EchoJob.Payload("slow"));
        await fleet.Client.SubmitAsync(task);

        // Act: the task is stored Running while it still runs.
        await fleet.WaitForTaskAsync(task.TaskId, t => t.Status == TaskState.Running, "the running task stored Running");
        fleet.Jobs.Open(task.TaskId);

        // Assert: one TaskStarted, then the result decides the task.
        Assert.Equal(TaskOutcome.Succeeded, (await fleet.OutcomeAsync(task.TaskId)).Outcome);
        Assert.Equal(1, fleet.Messages.Sent<TaskStarted>(task.TaskId));
        Assert.Equal(AttemptState.Succeeded, Assert.Single(await fleet.AttemptsAsync(task.TaskId)).Status);
    }
}
