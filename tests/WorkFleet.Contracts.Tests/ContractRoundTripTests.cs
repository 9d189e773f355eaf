using System.Text.Json;
using WorkFleet.Contracts.Tests.Support;

namespace WorkFleet.Contracts.Tests;

/// <summary>
/// Each contract survives serialize + deserialize with MassTransit's settings. Records compare JsonElement and
/// list members by reference, so those members are compared by content and then copied over before the
/// whole-record comparison checks every other member.
/// </summary>
public sealed class ContractRoundTripTests
{
    private static readonly Guid TaskId = new("8a2c4b7e-0f1d-4c55-9a3e-2b1d0c9e8f7a");
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 10, 0, 0, 250, TimeSpan.FromHours(2));
    private static readonly DateTimeOffset End = new DateTimeOffset(2025, 6, 1, 10, 0, 3, TimeSpan.FromHours(-5)).AddTicks(1234567);

    private static void AssertSameJson(JsonElement expected, JsonElement actual) =>
        Assert.True(JsonElement.DeepEquals(expected, actual), $"expected {expected.GetRawText()} but got {actual.GetRawText()}");

    [Fact]
    public void RoundTrip_SubmitTask_PreservesValues()
    {
        // Arrange
        var original = new SubmitTask
        {
            TaskId = TaskId,
            JobType = "preprocess.tokenize",
            Payload = WireJson.Element("""{"texts":["hi","ünïcode ✓"],"n":1.5,"nested":{"ok":true,"none":null}}"""),
            Priority = 7,
            RequiredCapabilities = ["gpu", "avx2"],
            Timeout = TimeSpan.FromMilliseconds(1500),
            SubmittedAt = Start,
        };

        // Act
        var copy = WireJson.RoundTrip(original);

        // Assert
        AssertSameJson(original.Payload, copy.Payload);
        Assert.Equal(original.RequiredCapabilities, copy.RequiredCapabilities);
        Assert.Equal(Start.Offset, copy.SubmittedAt.Offset);
        Assert.Equal(original, copy with { Payload = original.Payload, RequiredCapabilities = original.RequiredCapabilities });
    }

    [Fact]
    public void RoundTrip_ExecuteTask_PreservesValues()
    {
        // Arrange
        var original = new ExecuteTask
        {
            TaskId = TaskId,
            Attempt = 2,
            WorkerId = "node-a-1f2e3d",
            JobType = "matrix.multiply",
            Payload = WireJson.Element("""[[1,2],[3,4]]"""),
            Timeout = TimeSpan.FromMinutes(2),
            DispatchedAt = End,
        };

        // Act
        var copy = WireJson.RoundTrip(original);

        // Assert
        AssertSameJson(original.Payload, copy.Payload);
        Assert.Equal(End.Ticks, copy.DispatchedAt.Ticks);
        Assert.Equal(original, copy with { Payload = original.Payload });
    }

    [Fact]
    public void RoundTrip_ExecuteTaskWithoutTimeout_KeepsNull()
    {
        // Arrange
        var original = new ExecuteTask { TaskId = TaskId, Attempt = 1, WorkerId = "w", JobType = "j", Payload = WireJson.Element("null") };

        // Act
        var copy = WireJson.RoundTrip(original);

        // Assert
        Assert.Null(copy.Timeout);
        Assert.Equal(JsonValueKind.Null, copy.Payload.ValueKind);
    }

    [Fact]
    public void RoundTrip_TaskStarted_PreservesValues()
    {
        // Arrange
        var original = new TaskStarted { TaskId = TaskId, Attempt = 3, WorkerId = "w-9", StartedAt = Start };

        // Act
        var copy = WireJson.RoundTrip(original);

        // Assert
        Assert.Equal(original, copy);
        Assert.Equal(Start.Offset, copy.StartedAt.Offset);
    }

    [Fact]
    public void RoundTrip_TaskCompleted_PreservesValues()
    {
        // Arrange
        var original = new TaskCompleted
        {
            TaskId = TaskId,
            Attempt = 1,
            WorkerId = "w-1",
            Result = WireJson.Element("""{"tokens":[["hi"]],"count":1}"""),
            StartedAt = Start,
            FinishedAt = End,
        };

        // Act
        var copy = WireJson.RoundTrip(original);

        // Assert
        AssertSameJson(original.Result, copy.Result);
        Assert.Equal(original, copy with { Result = original.Result });
    }

    [Fact]
    public void RoundTrip_TaskFailed_PreservesValues()
    {
        // Arrange
        var original = new TaskFailed
        {
            TaskId = TaskId,
            Attempt = 2,
            WorkerId = "w-2",
            Error = "Input 'texts' must be an array of strings.",
            ErrorKind = "invalid-input",
            Retryable = true,
            StartedAt = Start,
            FinishedAt = End,
        };

        // Act
        var copy = WireJson.RoundTrip(original);

        // Assert
        Assert.Equal(original, copy);
    }

    [Fact]
    public void RoundTrip_TaskFinishedSucceeded_PreservesValues()
    {
        // Arrange
        var original = new TaskFinished
        {
            TaskId = TaskId,
            Outcome = TaskOutcome.Succeeded,
            Result = WireJson.Element("""{"sum":42}"""),
            Attempt = 1,
            WorkerId = "w-1",
            FinishedAt = End,
        };

        // Act
        var copy = WireJson.RoundTrip(original);

        // Assert
        Assert.NotNull(copy.Result);
        AssertSameJson(original.Result!.Value, copy.Result.Value);
        Assert.Equal(original, copy with { Result = original.Result });
    }

    [Fact]
    public void RoundTrip_TaskFinishedFailed_PreservesValuesAndNullResult()
    {
        // Arrange
        var original = new TaskFinished
        {
            TaskId = TaskId,
            Outcome = TaskOutcome.Failed,
            Error = "No live worker can run job type 'x'.",
            ErrorKind = "no-capable-worker",
            Attempt = 0,
            FinishedAt = End,
        };

        // Act
        var copy = WireJson.RoundTrip(original);

        // Assert
        Assert.Equal(original, copy);
        Assert.Null(copy.Result);
        Assert.Null(copy.WorkerId);
    }

    [Fact]
    public void Serialize_TaskFinished_WritesOutcomeAsNameAndNullsExplicitly()
    {
        // Arrange: producers read this; enums are written as names and nulls are not omitted.
        var finished = new TaskFinished { TaskId = TaskId, Outcome = TaskOutcome.Failed, Error = "boom", ErrorKind = "handler-error" };

        // Act
        using var document = JsonDocument.Parse(WireJson.Serialize(finished));
        var root = document.RootElement;

        // Assert
        Assert.Equal(JsonValueKind.String, root.GetProperty("outcome").ValueKind);
        Assert.Equal("Failed", root.GetProperty("outcome").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("result").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("workerId").ValueKind);
        Assert.Equal(
            new HashSet<string>(StringComparer.Ordinal) { "taskId", "outcome", "result", "error", "errorKind", "attempt", "workerId", "finishedAt" },
            root.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal));
    }

    [Fact]
    public void RoundTrip_WorkerHeartbeat_PreservesValues()
    {
        // Arrange
        var original = new WorkerHeartbeat
        {
            WorkerId = "node-a-1f2e3d",
            QueueName = "workfleet.worker.node-a-1f2e3d",
            Weight = 2.5,
            Capacity = 8,
            InFlight = 3,
            Queued = 1,
            CompletedTotal = 9_876_543_210,
            FailedTotal = 5,
            CpuUtilization = 0.37,
            MemoryUtilization = 0.1,
            HostCpuUtilization = 0.55,
            HostMemoryUtilization = 0.25,
            Gpus = [new GpuStatus { Index = 1, Name = "NVIDIA T4", Utilization = null, MemoryUsedBytes = 512L << 20, MemoryTotalBytes = 16L << 30 }],
            EwmaTaskDurationMs = 81.75,
            JobTypes = ["preprocess.tokenize", "matrix.multiply"],
            Capabilities = ["gpu"],
            State = WorkerState.Draining,
            Sequence = 42,
            StartedAt = Start,
            SentAt = End,
        };

        // Act
        var copy = WireJson.RoundTrip(original);

        // Assert
        Assert.Equal(original.JobTypes, copy.JobTypes);
        Assert.Equal(original.Capabilities, copy.Capabilities);
        Assert.Equal(original.Gpus, copy.Gpus);
        Assert.Equal(original, copy with { JobTypes = original.JobTypes, Capabilities = original.Capabilities, Gpus = original.Gpus });
    }

    [Fact]
    public void RoundTrip_DispatcherHeartbeat_PreservesValues()
    {
        // Arrange
        var original = new DispatcherHeartbeat { DispatcherId = "dispatch-a-3c4d5e", SentAt = End };

        // Act
        var copy = WireJson.RoundTrip(original);

        // Assert
        Assert.Equal(original, copy);
        Assert.Equal(End.Offset, copy.SentAt.Offset);
    }
}
