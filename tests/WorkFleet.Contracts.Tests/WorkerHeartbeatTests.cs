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
        HostCpuUtilization = 0.62,
        HostMemoryUtilization = 0.41,
        Gpus = [new GpuStatus { Index = 0, Name = "NVIDIA A10G", Utilization = 0.9, MemoryUsedBytes = 1L << 30, MemoryTotalBytes = 24L << 30 }],
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
                "cpuUtilization", "memoryUtilization", "hostCpuUtilization", "hostMemoryUtilization", "gpus",
                "ewmaTaskDurationMs", "jobTypes", "capabilities", "state", "sequence", "startedAt", "sentAt",
            },
            names.ToHashSet(StringComparer.Ordinal));
        Assert.Equal(20, names.Count);
    }

    [Fact]
    public void Serialize_Gpu_WritesExactlyTheCamelCasePropertyNames()
    {
        // Arrange
        var heartbeat = Sample(WorkerState.Active);

        // Act
        using var document = JsonDocument.Parse(WireJson.Serialize(heartbeat));
        var gpu = Assert.Single(document.RootElement.GetProperty("gpus").EnumerateArray());

        // Assert
        Assert.Equal(
            ["index", "name", "utilization", "memoryUsedBytes", "memoryTotalBytes"],
            gpu.EnumerateObject().Select(p => p.Name));
        Assert.Equal(24L << 30, gpu.GetProperty("memoryTotalBytes").GetInt64());
    }

    [Fact]
    public void Deserialize_HeartbeatOfAnOlderWorker_LeavesHostSignalsNull()
    {
        // Arrange: what a worker written before the host signals existed sends.
        const string json = """
            {"workerId":"w","queueName":"workfleet.worker.w","cpuUtilization":0.2,"memoryUtilization":0.1,"ewmaTaskDurationMs":12.5,"state":"Active"}
            """;

        // Act
        var heartbeat = WireJson.Deserialize<WorkerHeartbeat>(json);

        // Assert
        Assert.Equal(0.2, heartbeat.CpuUtilization);
        Assert.Null(heartbeat.HostCpuUtilization);
        Assert.Null(heartbeat.HostMemoryUtilization);
        Assert.Null(heartbeat.Gpus);
    }

    [Fact]
    public void RoundTrip_NoGpu_StaysNullNotEmpty()
    {
        // Arrange: a host without nvidia-smi.
        var heartbeat = Sample(WorkerState.Active) with { Gpus = null };

        // Act
        var json = WireJson.Serialize(heartbeat);
        var copy = WireJson.Deserialize<WorkerHeartbeat>(json);

        // Assert: absent on the wire (or an explicit null), never an empty list or zeros.
        using var document = JsonDocument.Parse(json);
        Assert.True(!document.RootElement.TryGetProperty("gpus", out var gpus) || gpus.ValueKind == JsonValueKind.Null);
        Assert.Null(copy.Gpus);
        Assert.Equal(0.62, copy.HostCpuUtilization);
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
