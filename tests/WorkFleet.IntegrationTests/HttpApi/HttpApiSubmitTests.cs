using System.Net;
using System.Text.Json;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.IntegrationTests.Security;
using WorkFleet.Messaging.Security;

namespace WorkFleet.IntegrationTests.HttpApi;

/// <summary><c>POST /api/tasks</c> on the real stack: through the submit queue to workers, outcomes read back over HTTP.</summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class HttpApiSubmitTests(InfrastructureFixture infrastructure)
{
    /// <summary>The README's curl example, as written there (the key comes from an environment variable there).</summary>
    public const string ReadmeCurlBody = """{"jobType":"compute.matmul","payload":{"size":64,"seed":7}}""";

    [Fact]
    public async Task PostBatchOf200_ThroughTheSubmitQueue_EveryOutcomeReadableOverHttp()
    {
        // Arrange: two workers; half the tasks name their id, half let the API choose one.
        await using var fleet = await HttpApiFleet.StartAsync(infrastructure, "httpbatch", workers: 2);
        using var http = fleet.Client();
        var given = Enumerable.Range(0, 200).Select(i => i % 2 == 0 ? Guid.NewGuid() : (Guid?)null).ToList();
        var body = JsonSerializer.Serialize(given.Select((id, i) =>
        {
            var (jobType, payload) = TestJobs.Mixed(i);
            var task = new Dictionary<string, object> { ["jobType"] = jobType, ["payload"] = payload };
            if (id is { } taskId)
            {
                task["taskId"] = taskId;
            }

            return task;
        }));

        // Act
        using var response = await http.PostAsync(new Uri("api/tasks", UriKind.Relative), HttpApiFleet.Json(body));
        var accepted = await HttpApiFleet.ReadJsonAsync(response);
        var ids = accepted.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("taskId").GetGuid()).ToList();
        var outcomes = new List<JsonElement>();
        foreach (var chunk in ids.Chunk(20))
        {
            outcomes.AddRange(await Task.WhenAll(chunk.Select(id => HttpApiFleet.WaitForOutcomeAsync(http, id))));
        }

        // Assert: 202 with an id per task, in order, the given ones kept; every task succeeded with its result readable.
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(200, ids.Count);
        Assert.Equal(200, ids.Distinct().Count());
        Assert.All(given.Select((id, i) => (id, i)).Where(g => g.id is not null), g => Assert.Equal(g.id, ids[g.i]));
        Assert.Equal($"/api/tasks/{ids[3]}?wait=30s", accepted.GetProperty("tasks")[3].GetProperty("links").GetProperty("wait").GetString());
        Assert.All(outcomes, o => Assert.Equal("Succeeded", o.GetProperty("status").GetString()));
        Assert.All(outcomes, o => Assert.Equal(JsonValueKind.Object, o.GetProperty("result").ValueKind));
        Assert.Equal(ids, outcomes.Select(o => o.GetProperty("taskId").GetGuid()));
    }

    [Fact]
    public async Task SameIdPostedTwiceAndAgainAfterItsOutcome_RunsOnce()
    {
        // Arrange: a job that counts its runs; the dispatcher counts the submits it consumed.
        var consumes = new SubmitConsumes();
        await using var fleet = await HttpApiFleet.StartAsync(
            infrastructure,
            "httpdedup",
            dispatcherServices: s => s.AddConsumeObserver(_ => consumes),
            workerServices: s => s.AddSingleton<JobRuns>().AddJobHandler<CountedSleepJob>(CountedSleepJob.Type));
        using var http = fleet.Client();
        var taskId = Guid.NewGuid();
        var body = $$$"""{"taskId":"{{{taskId}}}","jobType":"{{{CountedSleepJob.Type}}}","payload":{"ms":500}}""";

        // Act: twice at once, then once more after the outcome; wait until the dispatcher consumed all three.
        var posts = await Task.WhenAll(Post(), Post());
        var outcome = await HttpApiFleet.WaitForOutcomeAsync(http, taskId);
        var late = await Post();
        await Eventually.UntilAsync(() => Task.FromResult(consumes.Of(taskId)), n => n >= 3, TimeSpan.FromSeconds(30), "three submits of the task consumed");
        var again = await HttpApiFleet.WaitForOutcomeAsync(http, taskId);

        // Assert: every post accepted with the same id; one run, one attempt, the outcome unchanged.
        Assert.All(posts.Append(late), status => Assert.Equal(HttpStatusCode.Accepted, status));
        Assert.Equal("Succeeded", outcome.GetProperty("status").GetString());
        Assert.Equal(1, Assert.Single(fleet.WorkerServices).GetRequiredService<JobRuns>().Of(taskId));
        Assert.Equal(1, outcome.GetProperty("result").GetProperty("run").GetInt32());
        Assert.Single(again.GetProperty("attempts").EnumerateArray());
        Assert.Equal(outcome.GetProperty("finishedAt").GetString(), again.GetProperty("finishedAt").GetString());
        await using var db = Store.Open(fleet.Database);
        Assert.Equal(1, await db.TaskAttempts.CountAsync(a => a.TaskId == taskId));

        async Task<HttpStatusCode> Post()
        {
            using var response = await http.PostAsync(new Uri("api/tasks", UriKind.Relative), HttpApiFleet.Json(body));
            var accepted = await HttpApiFleet.ReadJsonAsync(response);
            Assert.Equal(taskId, Assert.Single(accepted.GetProperty("tasks").EnumerateArray()).GetProperty("taskId").GetGuid());
            return response.StatusCode;
        }
    }

    [Fact]
    public async Task ReadmeCurlExample_AsWritten_Accepted202_AndItsOutcomeReadableByTheWaitLink()
    {
        // Arrange: the dispatcher runs as a broker user of the dispatcher role, so it has only that role's rights.
        await using var fleet = await HttpApiFleet.StartAsync(
            infrastructure, "httpcurl", dispatcherBroker: vhost => BrokerRoleUsers.CreateAsync(infrastructure, vhost, BrokerRoles.Dispatcher));
        using var http = fleet.Client(key: null);

        // Act: the README's request: POST with a bearer key and a JSON body, then GET its wait link with the same key.
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri("api/tasks", UriKind.Relative)) { Content = HttpApiFleet.Json(ReadmeCurlBody) };
        post.Headers.Add("Authorization", $"Bearer {HttpSecuredDashboard.SubmitKey}");
        using var response = await http.SendAsync(post);
        var accepted = await HttpApiFleet.ReadJsonAsync(response);
        var task = Assert.Single(accepted.GetProperty("tasks").EnumerateArray());
        var wait = new Uri(task.GetProperty("links").GetProperty("wait").GetString()!.TrimStart('/'), UriKind.Relative);
        var outcome = await Eventually.UntilAsync(
            async () =>
            {
                using var get = new HttpRequestMessage(HttpMethod.Get, wait);
                get.Headers.Add("Authorization", $"Bearer {HttpSecuredDashboard.SubmitKey}");
                using var answer = await http.SendAsync(get);
                return answer.IsSuccessStatusCode ? await HttpApiFleet.ReadJsonAsync(answer) : default;
            },
            o => o.ValueKind == JsonValueKind.Object && o.GetProperty("status").GetString() == "Succeeded",
            TimeSpan.FromMinutes(1),
            "the README task's outcome");

        // Assert
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/api/tasks/{task.GetProperty("taskId").GetGuid()}", response.Headers.Location?.ToString());
        Assert.Equal("compute.matmul", outcome.GetProperty("jobType").GetString());
        Assert.Equal(64, outcome.GetProperty("result").GetProperty("size").GetInt32());
    }
}
