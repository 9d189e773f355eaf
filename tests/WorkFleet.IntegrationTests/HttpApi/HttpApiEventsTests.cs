using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Dispatcher.Dispatching;
using WorkFleet.IntegrationTests.Security;

namespace WorkFleet.IntegrationTests.HttpApi;

/// <summary><c>GET /api/tasks/events</c> on the real stack: one server-sent event per outcome of a run.</summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class HttpApiEventsTests(InfrastructureFixture infrastructure)
{
    private const int Tasks = 60;

    [Fact]
    public async Task EventStream_DuringARunOf60_DeliversEveryOutcomeOnce()
    {
        // Arrange: a reader subscribed before the run; a few tasks will fail (the job refuses their input).
        await using var fleet = await HttpApiFleet.StartAsync(infrastructure, "httpevents", workers: 2);
        using var reader = fleet.Client(HttpSecuredDashboard.ReadKey);
        using var submitter = fleet.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("api/tasks/events", UriKind.Relative));
        using var response = await reader.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var stream = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(": subscribed", await Deadline.Within(stream.ReadLineAsync()));
        var body = JsonSerializer.Serialize(Enumerable.Range(0, Tasks).Select(i => i % 10 == 0
            ? new { jobType = "diagnostics.sleep", payload = TestJobs.Parse("""{"ms":-1}""") }
            : new { jobType = TestJobs.Mixed(i).JobType, payload = TestJobs.Mixed(i).Payload }));

        // Act
        using var posted = await submitter.PostAsync(new Uri("api/tasks", UriKind.Relative), HttpApiFleet.Json(body));
        var ids = (await HttpApiFleet.ReadJsonAsync(posted)).GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("taskId").GetGuid()).ToList();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var events = new List<(string Id, string Type, JsonElement Data)>();
        while (events.Count < Tasks)
        {
            events.Add(await ReadEventAsync(stream, deadline.Token));
        }

        // Assert: one task-finished event per task, its id the task's, its data the outcome.
        Assert.Equal(ids.Order(), events.Select(e => Guid.Parse(e.Id)).Order());
        Assert.All(events, e => Assert.Equal("task-finished", e.Type));
        Assert.All(events, e => Assert.Equal(e.Id, e.Data.GetProperty("taskId").GetString()));
        var failed = events.Where(e => e.Data.GetProperty("outcome").GetString() == "Failed").ToList();
        Assert.Equal(Tasks / 10, failed.Count);
        Assert.All(failed, e => Assert.Equal("invalid-input", e.Data.GetProperty("errorKind").GetString()));
        Assert.All(events.Except(failed), e => Assert.Equal(JsonValueKind.Object, e.Data.GetProperty("result").ValueKind));
    }

    [Fact]
    public async Task EventStreamAndLongPoll_OutcomesAnotherDispatcherRecorded_ArriveFromTheStore()
    {
        // Arrange: a second dispatcher shares the queues, so it records about half the outcomes; it counts them.
        await using var fleet = await HttpApiFleet.StartAsync(infrastructure, "httppeer", workers: 2);
        var peerOutcomes = new OutcomeCount();
        await fleet.StartPeerDispatcherAsync(s => s.AddSingleton<ITaskOutcomeObserver>(peerOutcomes));
        using var reader = fleet.Client(HttpSecuredDashboard.ReadKey);
        using var submitter = fleet.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("api/tasks/events", UriKind.Relative));
        using var response = await reader.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var stream = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal(": subscribed", await Deadline.Within(stream.ReadLineAsync()));
        var body = JsonSerializer.Serialize(Enumerable.Range(0, Tasks).Select(i => new { jobType = TestJobs.Mixed(i).JobType, payload = TestJobs.Mixed(i).Payload }));

        // Act
        using var posted = await submitter.PostAsync(new Uri("api/tasks", UriKind.Relative), HttpApiFleet.Json(body));
        var ids = (await HttpApiFleet.ReadJsonAsync(posted)).GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("taskId").GetGuid()).ToList();
        var polled = await Task.WhenAll(ids.Select(id => HttpApiFleet.WaitForOutcomeAsync(reader, id)));
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var events = new List<(string Id, string Type, JsonElement Data)>();
        while (events.Count < Tasks)
        {
            events.Add(await ReadEventAsync(stream, deadline.Token));
        }

        // Assert: the peer recorded some outcomes, and still every task's outcome reached the stream once and every long-poll.
        Assert.InRange(peerOutcomes.Count, 1, Tasks - 1);
        Assert.Equal(ids.Order(), events.Select(e => Guid.Parse(e.Id)).Order());
        Assert.All(polled, p => Assert.Equal("Succeeded", p.GetProperty("status").GetString()));
    }

    // The next event (its fields until a blank line), skipping comments such as keep-alives.
    private static async Task<(string Id, string Type, JsonElement Data)> ReadEventAsync(StreamReader stream, CancellationToken cancellationToken)
    {
        string? id = null, type = null, data = null;
        while (await stream.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0 && data is not null)
            {
                return (id!, type!, HttpApiFleet.ParseJson(data));
            }

            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
        }

        throw new EndOfStreamException("The event stream ended.");
    }
}
