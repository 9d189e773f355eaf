using System.Text.Json;
using System.Text.Json.Nodes;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;

namespace WorkFleet.Pipeline.Tests;

public sealed class OutcomeRepublishTests
{
    [Fact]
    public async Task RedeliveredDecidingResult_SendsTheStoredOutcomeAgain_StoreUnchanged()
    {
        // Arrange: a task that succeeded, and its producer's reply queue watched only afterwards (as if the outcome
        // had been lost, when a dispatcher stopped between storing a result and sending TaskFinished).
        await using var fleet = await InProcessFleet.StartAsync();
        var original = await fleet.SubmitAndWaitAsync(fleet.Client.CreateTask(EchoJob.Type, EchoJob.Payload("once")));
        Assert.Equal(TaskOutcome.Succeeded, original.Outcome);
        var stored = await fleet.FindTaskAsync(original.TaskId);
        using var late = OutcomeListener.Connect(fleet.Bus);

        // Act: the deciding result arrives again, carrying a different body than the one stored.
        var results = await fleet.Bus.GetSendEndpoint(new Uri($"queue:{QueueNames.Results}"));
        await results.Send(new TaskCompleted
        {
            TaskId = original.TaskId,
            Attempt = original.Attempt,
            WorkerId = original.WorkerId!,
            Result = JsonSerializer.SerializeToElement(new { replayed = true }),
            StartedAt = DateTimeOffset.UtcNow,
            FinishedAt = DateTimeOffset.UtcNow,
        });

        // Assert: the producer's reply queue gets the stored outcome again; the store is unchanged.
        var republished = await late.WaitAsync(original.TaskId);
        Assert.Equal((TaskOutcome.Succeeded, original.Attempt, original.WorkerId), (republished.Outcome, republished.Attempt, republished.WorkerId));
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(stored!.Result!), JsonNode.Parse(republished.Result!.Value.GetRawText())),
            $"republished {republished.Result!.Value.GetRawText()}, stored {stored.Result}");
        var after = await fleet.FindTaskAsync(original.TaskId);
        Assert.Equal((TaskState.Succeeded, stored.Result, 1), (after!.Status, after.Result, after.Attempt));
        var attempt = Assert.Single(await fleet.AttemptsAsync(original.TaskId));
        Assert.Equal(AttemptState.Succeeded, attempt.Status);
        Assert.Equal(1, fleet.Jobs.Calls(original.TaskId));
    }
}
