using System.Text.Json;
using WorkFleet.Messaging.Submitting;

namespace WorkFleet.Contracts.Tests;

public sealed class SubmitPackingTests
{
    [Fact]
    public void Pack_ManySmallTasks_RunsOfAtMostTheTaskLimit_InOrder()
    {
        // Arrange
        var tasks = Enumerable.Range(0, 300).Select(_ => Task(payloadBytes: 10)).ToList();

        // Act
        var messages = SubmitPacking.Pack(tasks).ToList();

        // Assert
        Assert.Equal([128, 128, 44], messages.Select(m => m.Count));
        Assert.Equal(tasks.Select(t => t.TaskId), messages.SelectMany(m => m).Select(t => t.TaskId));
    }

    [Fact]
    public void Pack_PayloadsOverTheByteLimit_StartANewMessage_AndALargeTaskGoesAlone()
    {
        // Arrange: 100 KiB payloads (two fit in 256 KiB, a third does not), then one over the limit alone, then small ones.
        var tasks = new List<SubmitTask>
        {
            Task(100 * 1024), Task(100 * 1024), Task(100 * 1024),
            Task(SubmitPacking.MaxPayloadBytesPerMessage + 1),
            Task(10), Task(10),
        };

        // Act
        var messages = SubmitPacking.Pack(tasks).ToList();

        // Assert
        Assert.Equal([2, 1, 1, 2], messages.Select(m => m.Count));
        Assert.Same(tasks[3], Assert.Single(messages[2]));
        Assert.All(messages.Where(m => m.Count > 1), m => Assert.True(m.Sum(t => t.Payload.GetRawText().Length) <= SubmitPacking.MaxPayloadBytesPerMessage));
    }

    [Fact]
    public void Pack_NoTasks_NoMessage_AndOneTask_OneMessage()
    {
        Assert.Empty(SubmitPacking.Pack([]));
        Assert.Equal(1, Assert.Single(SubmitPacking.Pack([Task(10)])).Count);
    }

    [Fact]
    public void Batch_RoundTrips_AndABareSubmitTaskReadsAsAnEmptyBatch()
    {
        // Arrange
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var batch = new SubmitTaskBatch { Tasks = [Task(10), Task(20)] };

        // Act
        var back = JsonSerializer.Deserialize<SubmitTaskBatch>(JsonSerializer.Serialize(batch, options), options)!;
        var bare = JsonSerializer.Deserialize<SubmitTaskBatch>(JsonSerializer.Serialize(Task(10), options), options)!;

        // Assert: a bare SubmitTask body (what the raw-JSON deserializer also offers the batch consumer) is no batch.
        Assert.Equal(batch.Tasks.Select(t => t.TaskId), back.Tasks.Select(t => t.TaskId));
        Assert.Empty(bare.Tasks);
    }

    private static SubmitTask Task(int payloadBytes)
    {
        var text = new string('x', Math.Max(0, payloadBytes - 2));
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(text));
        return new SubmitTask { TaskId = Guid.NewGuid(), JobType = "bench.noop", Payload = document.RootElement.Clone() };
    }
}
