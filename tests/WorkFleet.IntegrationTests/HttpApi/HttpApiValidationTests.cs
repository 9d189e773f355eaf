using System.Net;
using System.Text.Json;
using WorkFleet.IntegrationTests.Security;

namespace WorkFleet.IntegrationTests.HttpApi;

/// <summary>Bad requests to the HTTP API: RFC 7807 problem details naming every bad field, 413 over the limits, 401/403 by key.</summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class HttpApiValidationTests(InfrastructureFixture infrastructure)
{
    private static readonly Dictionary<string, string?> SmallLimits = new()
    {
        ["WorkFleet:Dispatcher:MaxPayloadBytes"] = "1024",
        ["WorkFleet:Dispatcher:MaxSubmitBytes"] = "4096",
        ["WorkFleet:Dashboard:Api:MaxBatchSize"] = "3",
        ["WorkFleet:Dashboard:Api:MaxRequestBytes"] = "65536",
    };

    [Fact]
    public async Task BadBodies_Answer400Or413ProblemDetails_NamingEveryBadField_AndSubmitNothing()
    {
        // Arrange: no worker is needed; small limits.
        await using var fleet = await HttpApiFleet.StartAsync(infrastructure, "httpbad", workers: 0, settings: SmallLimits);
        using var http = fleet.Client();
        var good = Guid.NewGuid();

        // Act
        var everyField = await PostAsync(http, """{"taskId":"nope","payload":[1,2],"priority":"high","requiredCapabilities":"gpu","timeout":"soon","colour":"red"}""");
        var outOfRange = await PostAsync(http, """{"jobType":"compute.matmul","payload":{},"priority":12,"timeout":"25h","requiredCapabilities":[""]}""");
        var batch = await PostAsync(http, $$$"""[{"taskId":"{{{good}}}","jobType":"compute.matmul","payload":{}},{"jobType":"","payload":{}},5]""");
        var tooMany = await PostAsync(http, """[{"jobType":"a","payload":{}},{"jobType":"a","payload":{}},{"jobType":"a","payload":{}},{"jobType":"a","payload":{}}]""");
        var notJson = await PostAsync(http, "{\"jobType\":");
        var bigPayload = await PostAsync(http, $$$"""{"jobType":"compute.matmul","payload":{"pad":"{{{new string('x', 2000)}}}"}}""");
        var bigBody = await PostAsync(http, $$$"""{"jobType":"compute.matmul","payload":{"pad":"{{{new string('x', 70_000)}}}"}}""");
        using var badWait = await http.GetAsync(new Uri($"api/tasks/{good}?wait=forever", UriKind.Relative));
        using var notSubmitted = await http.GetAsync(new Uri($"api/tasks/{good}?wait=2s", UriKind.Relative));

        // Assert: each field named, with the dispatcher's own wording where it has a rule.
        AssertProblem(everyField, HttpStatusCode.BadRequest, "taskId", "jobType", "payload", "priority", "requiredCapabilities", "timeout", "colour");
        Assert.Contains("'jobType' is missing", Messages(everyField, "jobType"), StringComparison.Ordinal);
        AssertProblem(outOfRange, HttpStatusCode.BadRequest, "priority", "timeout", "requiredCapabilities");
        Assert.Contains("'priority' 12 is outside 0..9", Messages(outOfRange, "priority"), StringComparison.Ordinal);
        AssertProblem(batch, HttpStatusCode.BadRequest, "[1].jobType", "[2]");
        AssertProblem(tooMany, HttpStatusCode.BadRequest, "$");
        Assert.Contains("over the limit of 3", Messages(tooMany, "$"), StringComparison.Ordinal);
        AssertProblem(notJson, HttpStatusCode.BadRequest, "$");
        AssertProblem(bigPayload, HttpStatusCode.RequestEntityTooLarge, "payload");
        Assert.Contains("WorkFleet:Dispatcher:MaxPayloadBytes", Messages(bigPayload, "payload"), StringComparison.Ordinal);
        AssertProblem(bigBody, HttpStatusCode.RequestEntityTooLarge, "$");
        Assert.Equal(HttpStatusCode.BadRequest, badWait.StatusCode);
        Assert.Contains("'wait' forever is not a duration", await badWait.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, notSubmitted.StatusCode);
    }

    [Fact]
    public async Task PostEndpoints_WithoutKey401_WithReadKey403_WithSubmitKey202()
    {
        // Arrange
        await using var fleet = await HttpApiFleet.StartAsync(infrastructure, "httpauth", workers: 0);
        using var anonymous = fleet.Client(key: null);
        using var reader = fleet.Client(HttpSecuredDashboard.ReadKey);
        using var submitter = fleet.Client(HttpSecuredDashboard.SubmitKey);
        const string Task = """{"jobType":"compute.matmul","payload":{"size":8}}""";

        // Act
        using var missing = await anonymous.PostAsync(new Uri("api/tasks", UriKind.Relative), HttpApiFleet.Json(Task));
        using var readOnly = await reader.PostAsync(new Uri("api/tasks", UriKind.Relative), HttpApiFleet.Json(Task));
        using var readOnlyPredict = await reader.PostAsync(new Uri("api/predict/compute.matmul", UriKind.Relative), HttpApiFleet.Json("{}"));
        using var allowed = await submitter.PostAsync(new Uri("api/tasks", UriKind.Relative), HttpApiFleet.Json(Task));
        using var openApi = await reader.GetAsync(new Uri("openapi/v1.json", UriKind.Relative));

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, readOnly.StatusCode);
        Assert.Contains("role submit", await readOnly.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, readOnlyPredict.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, allowed.StatusCode);
        var document = await HttpApiFleet.ReadJsonAsync(openApi);
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/tasks", out _), "the OpenAPI document has POST /api/tasks");
        Assert.True(paths.TryGetProperty("/api/predict/{jobType}", out _), "the OpenAPI document has /api/predict/{jobType}");
        Assert.True(paths.TryGetProperty("/api/tasks/events", out _), "the OpenAPI document has /api/tasks/events");
    }

    private static async Task<(HttpStatusCode Status, string? MediaType, JsonElement Body)> PostAsync(HttpClient http, string body)
    {
        using var response = await http.PostAsync(new Uri("api/tasks", UriKind.Relative), HttpApiFleet.Json(body));
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, await HttpApiFleet.ReadJsonAsync(response));
    }

    private static void AssertProblem((HttpStatusCode Status, string? MediaType, JsonElement Body) answer, HttpStatusCode status, params string[] fields)
    {
        Assert.Equal(status, answer.Status);
        Assert.Equal("application/problem+json", answer.MediaType);
        Assert.Equal((int)status, answer.Body.GetProperty("status").GetInt32());
        Assert.Equal(fields.Order(StringComparer.Ordinal), answer.Body.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    private static string Messages((HttpStatusCode Status, string? MediaType, JsonElement Body) answer, string field) =>
        string.Join(" | ", answer.Body.GetProperty("errors").GetProperty(field).EnumerateArray().Select(m => m.GetString()));
}
