using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Client;
using WorkFleet.Contracts;

namespace WorkFleet.IntegrationTests.Security;

/// <summary>The dispatcher's HTTP API under abuse: foreign Host headers, request floods and big results.</summary>
[Collection("Infrastructure")]
[Trait("Category", "Security")]
public sealed class HttpLimitsTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task UnknownHostHeader_Answers400_WhileHealthzAnswersAnyHost()
    {
        // Arrange
        await using var dashboard = await StartAsync("hosts", HttpSecuredDashboard.WithKeys());
        using var http = dashboard.Client(HttpSecuredDashboard.ReadKey);

        // Act
        using var foreign = await http.SendAsync(WithHost(HttpMethod.Get, "api/status", "attacker.example"));
        using var loopbackName = await http.SendAsync(WithHost(HttpMethod.Get, "api/status", "localhost"));
        using var probe = await http.SendAsync(WithHost(HttpMethod.Get, "healthz", "10.1.2.3"));

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.OK, loopbackName.StatusCode);
        Assert.NotEqual(HttpStatusCode.BadRequest, probe.StatusCode);
    }

    [Fact]
    public async Task RequestsBeyondTheWindowsPermits_Answer429WithRetryAfter_PerKey()
    {
        // Arrange: 3 requests per hour per key (or per address without a key).
        var settings = HttpSecuredDashboard.WithKeys();
        settings["WorkFleet:Dashboard:RateLimitPermits"] = "3";
        settings["WorkFleet:Dashboard:RateLimitWindow"] = "01:00:00";
        await using var dashboard = await StartAsync("ratelimit", settings);
        using var reader = dashboard.Client(HttpSecuredDashboard.ReadKey);
        using var admin = dashboard.Client(HttpSecuredDashboard.AdminKey);
        var whoami = new Uri("api/auth/whoami", UriKind.Relative);

        // Act
        var allowed = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await reader.GetAsync(whoami);
            allowed.Add(response.StatusCode);
        }

        using var limited = await reader.GetAsync(whoami);
        using var otherKey = await admin.GetAsync(whoami);

        // Assert: the fourth is refused with a wait; another key has its own window.
        Assert.All(allowed, code => Assert.Equal(HttpStatusCode.OK, code));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Assert.Contains("RateLimitPermits", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
    }

    [Fact]
    public async Task WrongKeyGuesses_AreRateLimitedByAddress()
    {
        // Arrange
        var settings = HttpSecuredDashboard.WithKeys();
        settings["WorkFleet:Dashboard:RateLimitPermits"] = "2";
        settings["WorkFleet:Dashboard:RateLimitWindow"] = "01:00:00";
        await using var dashboard = await StartAsync("guesses", settings);
        var codes = new List<HttpStatusCode>();

        // Act: three guesses from one address.
        for (var i = 0; i < 3; i++)
        {
            using var guesser = dashboard.Client($"guess-number-{i}-of-an-attacker");
            using var response = await guesser.GetAsync(new Uri("api/status", UriKind.Relative));
            codes.Add(response.StatusCode);
        }

        // Assert
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], codes);
    }

    [Fact]
    public async Task ResultLargerThanTheLimit_IsLeftOutWithItsSize_AndReadWholeFromItsOwnEndpoint()
    {
        // Arrange: a 64-byte limit, so a real matrix product's result is over it.
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique("bigresult"));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique("bigresult"));
        var settings = HttpSecuredDashboard.WithKeys();
        settings["WorkFleet:Dashboard:ResultLimitBytes"] = "64";
        await using var dashboard = await HttpSecuredDashboard.StartAsync(rabbit, database, settings);
        await using var hosts = new RunningHosts();
        hosts.Add(await FleetHosts.StartWorkerAsync(rabbit, o => (o.WorkerId, o.Capacity) = ("big-w1", 1)));
        var producer = hosts.Add(await FleetHosts.StartClientAsync(rabbit));
        var client = producer.Services.GetRequiredService<WorkFleetClient>();
        var (jobType, payload) = TestJobs.Mixed(1);
        var task = client.CreateTask(jobType, payload);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var outcome = client.WaitAsync(task.TaskId, deadline.Token);
        await client.SubmitManyAsync([task]);
        Assert.Equal(TaskOutcome.Succeeded, (await outcome).Outcome);
        using var http = dashboard.Client(HttpSecuredDashboard.ReadKey);

        // Act: the details (once the outcome is stored) and the whole result.
        var details = await Eventually.UntilAsync(
            async () => JsonDocument.Parse(await http.GetStringAsync(new Uri($"api/tasks/{task.TaskId}", UriKind.Relative))).RootElement.Clone(),
            d => d.GetProperty("status").GetString() == "Succeeded",
            TimeSpan.FromSeconds(10),
            "the stored outcome");
        var whole = await http.GetStringAsync(new Uri($"api/tasks/{task.TaskId}/result", UriKind.Relative));

        // Assert
        Assert.Equal(JsonValueKind.Null, details.GetProperty("result").ValueKind);
        var omitted = details.GetProperty("resultOmitted");
        Assert.Equal(Encoding.UTF8.GetByteCount(whole), omitted.GetProperty("sizeBytes").GetInt64());
        Assert.True(omitted.GetProperty("sizeBytes").GetInt64() > 64);
        Assert.Equal(64, omitted.GetProperty("limitBytes").GetInt32());
        Assert.Equal($"api/tasks/{task.TaskId}/result", omitted.GetProperty("fetch").GetString());
        using var parsed = JsonDocument.Parse(whole);
        Assert.Equal(JsonValueKind.Object, parsed.RootElement.ValueKind);
    }

    private async Task<HttpSecuredDashboard> StartAsync(string name, IReadOnlyDictionary<string, string?> settings)
    {
        var rabbit = await infrastructure.CreateVirtualHostAsync(TestNames.Unique(name));
        var database = await infrastructure.CreateDatabaseAsync(TestNames.Unique(name));
        return await HttpSecuredDashboard.StartAsync(rabbit, database, settings);
    }

    private static HttpRequestMessage WithHost(HttpMethod method, string path, string host)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.Host = host;
        return request;
    }
}
