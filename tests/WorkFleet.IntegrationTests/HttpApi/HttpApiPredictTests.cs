using System.Net;
using System.Text.Json;

namespace WorkFleet.IntegrationTests.HttpApi;

/// <summary><c>POST /api/predict/{jobType}</c> on the real stack: submit, wait, answer the result, a 504 or the task's error.</summary>
[Collection("Infrastructure")]
[Trait("Category", "Integration")]
public sealed class HttpApiPredictTests(InfrastructureFixture infrastructure)
{
    [Fact]
    public async Task Predict_JobFinishingWithinTimeout_Answers200WithItsResult_AndRefusedInputAsProblem()
    {
        // Arrange
        await using var fleet = await HttpApiFleet.StartAsync(infrastructure, "httppredict");
        using var http = fleet.Client();

        // Act
        using var ok = await http.PostAsync(new Uri("api/predict/diagnostics.sleep?timeout=60s", UriKind.Relative), HttpApiFleet.Json("""{"ms":50}"""));
        var prediction = await HttpApiFleet.ReadJsonAsync(ok);
        using var refused = await http.PostAsync(new Uri("api/predict/diagnostics.sleep?timeout=60s", UriKind.Relative), HttpApiFleet.Json("""{"ms":-1}"""));
        var problem = await HttpApiFleet.ReadJsonAsync(refused);

        // Assert: the result; the job's refusal as problem details with its error kind.
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(50, prediction.GetProperty("result").GetProperty("sleptMs").GetInt32());
        Assert.Equal(1, prediction.GetProperty("attempt").GetInt32());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("invalid-input", problem.GetProperty("errorKind").GetString());
        Assert.Contains("'ms' must be a whole number", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_JobSlowerThanTimeout_Answers504Problem_AndTheTaskStillFinishes()
    {
        // Arrange
        await using var fleet = await HttpApiFleet.StartAsync(infrastructure, "httppredict504");
        using var http = fleet.Client();

        // Act: a 5 s sleep with a 1 s timeout.
        using var response = await http.PostAsync(new Uri("api/predict/diagnostics.sleep?timeout=1s", UriKind.Relative), HttpApiFleet.Json("""{"ms":5000}"""));
        var problem = await HttpApiFleet.ReadJsonAsync(response);
        var taskId = problem.GetProperty("taskId").GetGuid();
        var outcome = await HttpApiFleet.WaitForOutcomeAsync(http, taskId);

        // Assert: 504 naming the task and where to follow it; the task ran to its end regardless.
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"/api/tasks/{taskId}?wait=30s", problem.GetProperty("links").GetProperty("wait").GetString());
        Assert.Equal("Succeeded", outcome.GetProperty("status").GetString());
        Assert.Equal(5000, outcome.GetProperty("result").GetProperty("sleptMs").GetInt32());
    }
}
