using System.Text.Json;
using WorkFleet.Contracts.Tests.Support;

namespace WorkFleet.Contracts.Tests;

/// <summary>The worker's result batch: its JSON shape and a round trip with MassTransit's settings.</summary>
public sealed class TaskResultBatchTests
{
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 10, 0, 0, 250, TimeSpan.FromHours(2));

    [Fact]
    public void RoundTrip_BatchOfBothKinds_PreservesEveryItem()
    {
        // Arrange
        var original = new TaskResultBatch
        {
            WorkerId = "w-1",
            Completed =
            [
                new TaskCompleted { TaskId = Guid.NewGuid(), Attempt = 1, WorkerId = "w-1", Result = WireJson.Element("""{"n":1}"""), StartedAt = Start, FinishedAt = Start.AddMilliseconds(3) },
                new TaskCompleted { TaskId = Guid.NewGuid(), Attempt = 2, WorkerId = "w-1", StartedAt = Start, FinishedAt = Start.AddMilliseconds(4) },
            ],
            Failed = [new TaskFailed { TaskId = Guid.NewGuid(), Attempt = 1, WorkerId = "w-1", Error = "bad input", ErrorKind = ErrorKinds.InvalidInput, Retryable = false, StartedAt = Start, FinishedAt = Start }],
        };

        // Act
        var copy = WireJson.RoundTrip(original);

        // Assert
        Assert.Equal(original.WorkerId, copy.WorkerId);
        Assert.Equal(original.Completed.Count, copy.Completed.Count);
        for (var i = 0; i < original.Completed.Count; i++)
        {
            Assert.True(JsonElement.DeepEquals(original.Completed[i].Result, copy.Completed[i].Result));
            Assert.Equal(original.Completed[i], copy.Completed[i] with { Result = original.Completed[i].Result });
        }

        Assert.Equal(original.Failed, copy.Failed);
    }

    [Fact]
    public void Deserialize_OnlyWorkerIdAndCompleted_FailedIsEmpty()
    {
        // Arrange: what a non-.NET worker may send (camelCase, an absent list).
        var json = """{"workerId":"w-2","completed":[{"taskId":"8a2c4b7e-0f1d-4c55-9a3e-2b1d0c9e8f7a","attempt":1,"workerId":"w-2","result":[1,2]}]}""";

        // Act
        var batch = WireJson.Deserialize<TaskResultBatch>(json);

        // Assert
        Assert.Equal("w-2", batch.WorkerId);
        Assert.Equal(new Guid("8a2c4b7e-0f1d-4c55-9a3e-2b1d0c9e8f7a"), Assert.Single(batch.Completed).TaskId);
        Assert.Empty(batch.Failed);
    }
}
