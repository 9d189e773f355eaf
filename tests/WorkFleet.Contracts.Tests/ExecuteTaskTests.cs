using System.Text.Json;
using WorkFleet.Contracts.Tests.Support;

namespace WorkFleet.Contracts.Tests;

public sealed class ExecuteTaskTests
{
    [Fact]
    public void Serialize_PayloadCopiedFromSubmitWithoutPayload_WritesJsonNull()
    {
        // Arrange: a producer may omit "payload"; the SubmitTask then carries JSON null, which forwards cleanly.
        var submit = WireJson.Deserialize<SubmitTask>("""{"taskId":"8a2c4b7e-0f1d-4c55-9a3e-2b1d0c9e8f7a","jobType":"j"}""");
        var execute = new ExecuteTask
        {
            TaskId = submit.TaskId,
            Attempt = 1,
            WorkerId = "w",
            JobType = submit.JobType,
            Payload = submit.Payload,
        };

        // Act
        using var document = JsonDocument.Parse(WireJson.Serialize(execute));

        // Assert
        Assert.Equal(JsonValueKind.Null, submit.Payload.ValueKind);
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("payload").ValueKind);
    }
}
