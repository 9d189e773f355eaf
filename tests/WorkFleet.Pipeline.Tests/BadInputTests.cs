using System.Text.Json;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;

namespace WorkFleet.Pipeline.Tests;

public sealed class BadInputTests
{
    [Theory]
    [InlineData("""{"text":"a","times":0}""", "'times' must be within 1..10 but is 0")]
    [InlineData("""{"times":2}""", "'text' is required")]
    [InlineData("""{"text":"a","times":"twice"}""", "times")]
    public async Task Submit_InputTheHandlerRejects_FailsInvalidInputNamingTheField_WithoutRetry(string payload, string named)
    {
        // Arrange
        await using var fleet = await InProcessFleet.StartAsync();
        var task = fleet.Client.CreateTask(EchoJob.Type, JsonDocument.Parse(payload).RootElement.Clone());

        // Act
        var finished = await fleet.SubmitAndWaitAsync(task);

        // Assert
        Assert.Equal((TaskOutcome.Failed, "invalid-input", 1), (finished.Outcome, finished.ErrorKind, finished.Attempt));
        Assert.Contains(named, finished.Error, StringComparison.Ordinal);
        var stored = await fleet.FindTaskAsync(task.TaskId);
        Assert.Equal((TaskState.Failed, "invalid-input"), (stored!.Status, stored.ErrorKind));
        Assert.Contains(named, stored.Error, StringComparison.Ordinal);
        var attempt = Assert.Single(await fleet.AttemptsAsync(task.TaskId));
        Assert.Equal((AttemptState.Failed, "invalid-input"), (attempt.Status, attempt.ErrorKind));
        Assert.Null(attempt.RetryAt);
        Assert.Equal(0, fleet.Jobs.Calls(task.TaskId));
    }

    [Fact]
    public async Task Submit_InvalidTasks_FailInvalidTaskNamingWhatIsWrong_WithoutAttempts()
    {
        // Arrange
        await using var fleet = await InProcessFleet.StartAsync();
        var badPriority = fleet.Client.CreateTask(EchoJob.Type, EchoJob.Payload("a")) with { Priority = 42 };
        var noJobType = fleet.Client.CreateTask("", EchoJob.Payload("a"));
        var badTimeout = fleet.Client.CreateTask(EchoJob.Type, EchoJob.Payload("a"), timeout: TimeSpan.FromSeconds(-1));
        var expected = new Dictionary<Guid, string>
        {
            [badPriority.TaskId] = "'priority' 42",
            [noJobType.TaskId] = "'jobType' is missing",
            [badTimeout.TaskId] = "'timeout'",
        };

        // Act
        var outcomes = expected.Keys.Select(fleet.OutcomeAsync).ToList();
        await fleet.Client.SubmitManyAsync([badPriority, noJobType, badTimeout]);
        var finished = await Task.WhenAll(outcomes);

        // Assert
        foreach (var outcome in finished)
        {
            Assert.Equal((TaskOutcome.Failed, "invalid-task"), (outcome.Outcome, outcome.ErrorKind));
            Assert.Contains(expected[outcome.TaskId], outcome.Error, StringComparison.Ordinal);
            var stored = await fleet.FindTaskAsync(outcome.TaskId);
            Assert.Equal((TaskState.Failed, "invalid-task"), (stored!.Status, stored.ErrorKind));
            Assert.Contains(expected[outcome.TaskId], stored.Error, StringComparison.Ordinal);
            Assert.NotNull(stored.FinishedAt);
            Assert.Empty(await fleet.AttemptsAsync(outcome.TaskId));
        }
    }

    [Fact]
    public async Task Submit_JobTypeNoWorkerRuns_FailsNoCapableWorkerAfterTheGracePeriod_NamingIt()
    {
        // Arrange
        var grace = TimeSpan.FromSeconds(1);
        await using var fleet = await InProcessFleet.StartAsync(new FleetSetup { Dispatcher = o => o.UnsupportedJobGracePeriod = grace });
        var unknown = fleet.Client.CreateTask("vision.no-such-job", JsonDocument.Parse("""{"x":1}""").RootElement.Clone());

        // Act
        var finished = await fleet.SubmitAndWaitAsync(unknown);

        // Assert: failed, naming the job type and what the fleet runs, no earlier than the grace period after start.
        Assert.Equal((TaskOutcome.Failed, "no-capable-worker"), (finished.Outcome, finished.ErrorKind));
        Assert.Contains("vision.no-such-job", finished.Error, StringComparison.Ordinal);
        Assert.Contains(EchoJob.Type, finished.Error, StringComparison.Ordinal);
        var stored = await fleet.FindTaskAsync(unknown.TaskId);
        Assert.Equal((TaskState.Failed, "no-capable-worker"), (stored!.Status, stored.ErrorKind));
        Assert.Contains("vision.no-such-job", stored.Error, StringComparison.Ordinal);
        Assert.True(stored.FinishedAt >= (fleet.StartedAt + grace).UtcDateTime, $"failed at {stored.FinishedAt:O}, fleet started at {fleet.StartedAt:O}");
        Assert.Empty(await fleet.AttemptsAsync(unknown.TaskId));

        // ... and the fleet keeps serving the job types it runs.
        var good = fleet.Client.CreateTask(EchoJob.Type, EchoJob.Payload("ok"));
        Assert.Equal(TaskOutcome.Succeeded, (await fleet.SubmitAndWaitAsync(good)).Outcome);
    }
}
