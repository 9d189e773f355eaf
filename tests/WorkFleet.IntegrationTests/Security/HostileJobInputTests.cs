using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Client;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;
using WorkFleet.Jobs.Tests.ImageResize;

namespace WorkFleet.IntegrationTests.Security;

/// <summary>
/// Issue 13's job-input attacks on the real broker and database, beside good tasks: a ~3 KB tokenize whose result
/// would be ~46 MB ends Failed <c>result-too-large</c> in the worker, so no such result crosses the broker or reaches
/// the dispatcher and the store; a 16,777,216 × 1 PNG resized to 256 (a width of 2^32, which an int wraps to 0) ends
/// Failed <c>invalid-input</c> naming the width and the limit. Each fails once, with no retry, and every good task of
/// the same run succeeds.
/// </summary>
[Collection("Infrastructure")]
[Trait("Category", "Security")]
public sealed class HostileJobInputTests(InfrastructureFixture infrastructure)
{
    // Far below the amplified result: a failed outcome carries its error text, not the bytes it refused.
    private const int SmallOutcomeBytes = 4 * 1024;

    [Fact]
    public async Task AmplifyingTokenizeAndOverflowingPng_FailOnceWithClearErrors_NoLargeResultStored_GoodTasksSucceed()
    {
        // Arrange
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("hostile"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("hostile"));
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartDispatcherAsync(rabbit, database));
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Capacity) = ("hostile-worker", 2)));
        var client = hosts.Add(await FleetHosts.StartClientAsync(rabbit)).Services.GetRequiredService<WorkFleetClient>();

        var amplifying = client.CreateTask("preprocess.tokenize", JsonSerializer.SerializeToElement(new { texts = Enumerable.Repeat(string.Empty, 1024), maxLength = 4096 }));
        var widePng = Convert.ToBase64String(TestPngs.Black(16_777_216, 1));
        var overflowing = client.CreateTask("preprocess.resize", TestJobs.Parse($$"""{"png":"{{widePng}}","resize":256}"""));
        var smallPng = Convert.ToBase64String(TestPngs.Black(8, 4));
        var good = new[]
        {
            client.CreateTask("preprocess.tokenize", TestJobs.Parse("""{"texts":["Hello, fleet!"],"maxLength":8}""")),
            client.CreateTask("preprocess.resize", TestJobs.Parse($$"""{"png":"{{smallPng}}","resize":2}""")),
            client.CreateTask("compute.matmul", TestJobs.Parse("""{"size":16,"seed":1}""")),
            client.CreateTask("preprocess.tokenize", TestJobs.Parse("""{"texts":["No task is lost!"],"maxLength":16}""")),
        };
        SubmitTask[] all = [amplifying, overflowing, .. good];
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var waits = all.ToDictionary(t => t.TaskId, t => client.WaitAsync(t.TaskId, deadline.Token));

        // Act
        await client.SubmitManyAsync(all);
        var finished = new Dictionary<Guid, TaskFinished>();
        foreach (var (id, wait) in waits)
        {
            finished[id] = await wait;
        }

        // Assert: the amplifying tokenize failed for good in the worker, naming size and limit, with no result.
        await using var db = Store.Open(database);
        var tooLarge = finished[amplifying.TaskId];
        Assert.Equal((TaskOutcome.Failed, ErrorKinds.ResultTooLarge, 1), (tooLarge.Outcome, tooLarge.ErrorKind, tooLarge.Attempt));
        Assert.Contains("(WorkFleet:Worker:MaxResultBytes)", tooLarge.Error, StringComparison.Ordinal);

        // ... the PNG failed as invalid input naming its width and the limit ...
        var invalid = finished[overflowing.TaskId];
        Assert.Equal((TaskOutcome.Failed, ErrorKinds.InvalidInput, 1), (invalid.Outcome, invalid.ErrorKind, invalid.Attempt));
        Assert.Contains("16777216 pixels wide but at most", invalid.Error, StringComparison.Ordinal);

        // ... neither stored a result or retried, and what reached the store and the producer is a small outcome ...
        foreach (var id in new[] { amplifying.TaskId, overflowing.TaskId })
        {
            var task = await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == id);
            Assert.Equal((TaskState.Failed, (string?)null), (task.Status, task.Result));
            Assert.True(task.Error!.Length < SmallOutcomeBytes, $"the stored error of {id} is {task.Error.Length} characters");
            Assert.Equal(1, await db.TaskAttempts.CountAsync(a => a.TaskId == id));
            Assert.True(JsonSerializer.SerializeToUtf8Bytes(finished[id]).Length < SmallOutcomeBytes, $"the outcome of {id} sent to its producer is small");
        }

        // ... and every good task of the same run succeeded.
        Assert.All(good, t => Assert.Equal(TaskOutcome.Succeeded, finished[t.TaskId].Outcome));
        Assert.Equal(good.Length, await db.Tasks.CountAsync(t => t.Status == TaskState.Succeeded));
    }
}
