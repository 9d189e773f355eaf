using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;

namespace WorkFleet.Pipeline.Tests;

public sealed class SubmitTests
{
    [Fact]
    public async Task Submit_OneTask_SucceedsWithResultStoredAndOneSucceededAttempt()
    {
        // Arrange
        await using var fleet = await InProcessFleet.StartAsync();
        var task = fleet.Client.CreateTask(EchoJob.Type, EchoJob.Payload("ab", times: 3));

        // Act
        await fleet.Client.SubmitAsync(task);
        var finished = await fleet.OutcomeAsync(task.TaskId);

        // Assert: the client heard the outcome, and the store holds the same.
        Assert.Equal(TaskOutcome.Succeeded, finished.Outcome);
        Assert.Equal("ababab", finished.Result?.GetProperty("echoed").GetString());
        Assert.Equal((1, "worker-1"), (finished.Attempt, finished.WorkerId));
        var stored = await fleet.FindTaskAsync(task.TaskId);
        Assert.NotNull(stored);
        Assert.Equal((TaskState.Succeeded, 1, "worker-1"), (stored.Status, stored.Attempt, stored.WorkerId));
        Assert.Equal("ababab", JsonDocument.Parse(stored.Result!).RootElement.GetProperty("echoed").GetString());
        Assert.NotNull(stored.FinishedAt);
        var attempt = Assert.Single(await fleet.AttemptsAsync(task.TaskId));
        Assert.Equal((1, "worker-1", AttemptState.Succeeded), (attempt.Attempt, attempt.WorkerId, attempt.Status));
        Assert.Null(attempt.Error);
        Assert.Equal(1, fleet.Jobs.Calls(task.TaskId));
    }

    [Fact]
    public async Task Submit_MoreTasksThanSlots_EachRunsOnceAndNoWorkerRunsMoreThanItsCapacity()
    {
        // Arrange: two workers, three slots in all; twelve tasks that hold their slot until released.
        await using var fleet = await InProcessFleet.StartAsync(new FleetSetup { Workers = [new("small", Capacity: 1), new("large", Capacity: 2)] });
        var tasks = Enumerable.Range(0, 12).Select(i => fleet.Client.CreateTask(GatedJob.Type, EchoJob.Payload($"t{i}"))).ToList();

        // Act: fill every slot, then let everything finish.
        await fleet.Client.SubmitManyAsync(tasks);
        await Eventually.UntilAsync(
            () => Task.FromResult(tasks.Count(t => fleet.Jobs.Calls(t.TaskId) > 0)),
            started => started >= 3,
            TimeSpan.FromSeconds(30),
            "three tasks running");
        fleet.Jobs.OpenAll();
        var finished = await Task.WhenAll(tasks.Select(t => fleet.OutcomeAsync(t.TaskId)));

        // Assert
        Assert.All(finished, f => Assert.Equal(TaskOutcome.Succeeded, f.Outcome));
        Assert.All(tasks, t => Assert.Equal(1, fleet.Jobs.Calls(t.TaskId)));
        Assert.InRange(fleet.Jobs.MaxRunning("small"), 1, 1);
        Assert.InRange(fleet.Jobs.MaxRunning("large"), 1, 2);
        await using var db = await fleet.OpenStoreAsync();
        var attempts = await db.TaskAttempts.AsNoTracking().ToListAsync();
        Assert.Equal(tasks.Select(t => t.TaskId).Order(), attempts.Select(a => a.TaskId).Order());
        Assert.All(attempts, a => Assert.Equal((1, AttemptState.Succeeded), (a.Attempt, a.Status)));
        Assert.All(finished, f => Assert.Equal(attempts.Single(a => a.TaskId == f.TaskId).WorkerId, f.WorkerId));
    }
}
