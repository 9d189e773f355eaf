using System.Text.Json;
using WorkFleet.Contracts.Tests.Support;

namespace WorkFleet.Contracts.Tests;

public sealed class WorkerHeartbeatTests
{
    private static WorkerHeartbeat Sample(WorkerState state) => new()
    {
        WorkerId = "node-a-1f2e3d",
        QueueName = "workfleet.worker.node-a-1f2e3d",
        Weight = 2.5,
        Capacity = 8,
        InFlight = 3,
        Queued = 1,
        CompletedTotal = 1234,
        FailedTotal = 5,
        CpuUtilization = 0.37,
        MemoryUtilization = 0.125,
        EwmaTaskDurationMs = 81.75,
        JobTypes = ["preprocess.tokenize", "matrix.multiply"],
        Capabilities = ["gpu", "avx2"],
        State = state,
        Sequence = 42,
        StartedAt = new DateTimeOffset(2025, 6, 1, 10, 0, 0, TimeSpan.FromHours(2)),
        SentAt = new DateTimeOffset(2025, 6, 1, 10, 5, 0, 123, TimeSpan.FromHours(2)),
    };

    [Fact]
    public void Serialize_Heartbeat_WritesExactlyTheCamelCasePropertyNames()
    {
        // Arrange
        var heartbeat = Sample(WorkerState.Active);

        // Act
        var names = WireJson.PropertyNames(WireJson.Serialize(heartbeat));

        // Assert
        Assert.Equal(
            new HashSet<string>(StringComparer.Ordinal)
            {
                "workerId", "queueName", "weight", "capacity", "inFlight", "queued", "completedTotal", "failedTotal",
                "cpuUtilization", "memoryUtilization", "ewmaTaskDurationMs", "jobTypes", "capabilities", "state",
                "sequence", "startedAt", "sentAt",
            },
            names.ToHashSet(StringComparer.Ordinal));
        Assert.Equal(17, names.Count);
    }

    [Theory]
    [InlineData(WorkerState.Active, "Active")]
    [InlineData(WorkerState.Draining, "Draining")]
    public void Serialize_State_IsWrittenAsName(WorkerState state, string expected)
    {
        // Arrange: the contract enums carry a string converter, so non-.NET readers see names.
        var heartbeat = Sample(state);

        // Act
        using var document = JsonDocument.Parse(WireJson.Serialize(heartbeat));
        var written = document.RootElement.GetProperty("state");

        // Assert
        Assert.Equal(JsonValueKind.String, written.ValueKind);
        Assert.Equal(expected, written.GetString());
    }

    [Fact]
    public void Deserialize_StateAsNumber_ReadsEnum()
    {
        // Arrange
        const string json = """{"workerId":"w","queueName":"workfleet.worker.w","state":1}""";

        // Act
        var heartbeat = WireJson.Deserialize<WorkerHeartbeat>(json);

        // Assert
        Assert.Equal(WorkerState.Draining, heartbeat.State);
    }

    [Fact]
    public void Deserialize_StateAsName_ReadsEnum()
    {
        // Arrange: what a non-.NET worker writes.
        const string json = """{"workerId":"w","queueName":"workfleet.worker.w","state":"Draining"}""";

        // Act
        var heartbeat = WireJson.Deserialize<WorkerHeartbeat>(json);

        // Assert
        Assert.Equal(WorkerState.Draining, heartbeat.State);
    }

    [Fact]
    public void Deserialize_OnlyRequiredFields_UsesDocumentedDefaults()
    {
        // Arrange
        const string json = """{"workerId":"w","queueName":"workfleet.worker.w"}""";

        // Act
        var heartbeat = WireJson.Deserialize<WorkerHeartbeat>(json);

        // Assert
        Assert.Equal(1.0, heartbeat.Weight);
        Assert.Equal(1, heartbeat.Capacity);
        Assert.Equal(WorkerState.Active, heartbeat.State);
        Assert.Empty(heartbeat.JobTypes);
        Assert.Empty(heartbeat.Capabilities);
    }
}
