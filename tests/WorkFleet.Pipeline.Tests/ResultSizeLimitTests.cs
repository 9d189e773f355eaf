using System.Text.Json;
using WorkFleet.Contracts;
using WorkFleet.Data.Entities;

namespace WorkFleet.Pipeline.Tests;

public sealed class ResultSizeLimitTests
{
    [Fact]
    public async Task Submit_TokenizeThatAmplifiesToTensOfMegabytes_FailsResultTooLargeOnce_AndAGoodTaskSucceeds()
    {
        // Arrange: the case, ~3 KB of input whose result is ~46 MB, beside an ordinary tokenize.
        await using var fleet = await InProcessFleet.StartAsync();
        var payload = JsonSerializer.SerializeToElement(new { texts = Enumerable.Repeat(string.Empty, 1024), maxLength = 4096 });
        var amplifying = fleet.Client.CreateTask("preprocess.tokenize", payload);
        var good = fleet.Client.CreateTask("preprocess.tokenize", JsonDocument.Parse("""{"texts":["Hello, fleet!"],"maxLength":8}""").RootElement.Clone());

        // Act
        var outcomes = new[] { fleet.OutcomeAsync(amplifying.TaskId), fleet.OutcomeAsync(good.TaskId) };
        await fleet.Client.SubmitManyAsync([amplifying, good]);
        var finished = await Task.WhenAll(outcomes);

        // Assert: failed for good on its first attempt, with the size and the limit, and no result stored or sent.
        var failed = finished.Single(f => f.TaskId == amplifying.TaskId);
        Assert.Equal((TaskOutcome.Failed, ErrorKinds.ResultTooLarge, 1), (failed.Outcome, failed.ErrorKind, failed.Attempt));
        Assert.Contains("over the limit of 4194304 bytes (WorkFleet:Worker:MaxResultBytes)", failed.Error, StringComparison.Ordinal);
        Assert.True(failed.Result is null or { ValueKind: JsonValueKind.Null }, "a failed outcome carries no result");
        var stored = await fleet.FindTaskAsync(amplifying.TaskId);
        Assert.Equal((TaskState.Failed, ErrorKinds.ResultTooLarge, (string?)null), (stored!.Status, stored.ErrorKind, stored.Result));
        var attempt = Assert.Single(await fleet.AttemptsAsync(amplifying.TaskId));
        Assert.Null(attempt.RetryAt);

        var succeeded = finished.Single(f => f.TaskId == good.TaskId);
        Assert.Equal(TaskOutcome.Succeeded, succeeded.Outcome);
        Assert.Equal(8, succeeded.Result!.Value.GetProperty("results")[0].GetProperty("inputIds").GetArrayLength());
    }
}
