using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;

namespace WorkFleet.IntegrationTests;

[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class OutcomeRepublishTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task RedeliveredDecidingResult_SendsTheStoredOutcomeAgain_ToTheProducerThatSubmitted()
    {
        // Arrange: a task that already succeeded, and its producer's reply queue watched only afterwards (as if the
        // outcome had been lost, when a dispatcher stopped between storing a result and sending TaskFinished).
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("republish"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("republish"));
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => o.WorkerId = "republish-worker"));
        var first = await FleetHosts.StartClientAsync(rabbit);
        hosts.Add(first);
        var client = first.Services.GetRequiredService<WorkFleetClient>();
        var (jobType, payload) = TestJobs.Mixed(0);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var original = await client.SubmitAndWaitAsync(client.CreateTask(jobType, payload), deadline.Token);
        Assert.Equal(TaskOutcome.Succeeded, original.Outcome);
        await using var db = Store.Open(database);
        var stored = await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == original.TaskId);

        using var arrivals = OutcomeArrivals.Watch(first.Services.GetRequiredService<IBus>());

        // Act: the deciding result arrives again, carrying a different body than the one stored.
        var results = await first.Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"queue:{QueueNames.Results}"));
        await results.Send(new TaskCompleted
        {
            TaskId = original.TaskId,
            Attempt = original.Attempt,
            WorkerId = "republish-worker",
            Result = JsonSerializer.SerializeToElement(new { replayed = true }),
            StartedAt = DateTimeOffset.UtcNow,
            FinishedAt = DateTimeOffset.UtcNow,
        });

        // Assert: the producer's reply queue gets the stored outcome again; the store is unchanged.
        var republished = await arrivals.WaitAsync(original.TaskId);
        Assert.Equal(TaskOutcome.Succeeded, republished.Outcome);
        Assert.Equal(original.Attempt, republished.Attempt);
        Assert.Equal("republish-worker", republished.WorkerId);
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(stored.Result!), JsonNode.Parse(republished.Result!.Value.GetRawText())),
            $"republished {republished.Result!.Value.GetRawText()}, stored {stored.Result}");
        var after = await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == original.TaskId);
        Assert.Equal((TaskState.Succeeded, stored.Result, 1), (after.Status, after.Result, after.Attempt));
        Assert.Equal(1, await db.TaskAttempts.CountAsync(a => a.TaskId == original.TaskId));
    }
}
