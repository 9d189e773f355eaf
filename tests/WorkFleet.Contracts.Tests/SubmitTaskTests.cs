using System.Text.Json;
using WorkFleet.Contracts.Tests.Support;

namespace WorkFleet.Contracts.Tests;

public sealed class SubmitTaskTests
{
    private const string PythonProducerJson =
        """{"taskId":"8a2c4b7e-0f1d-4c55-9a3e-2b1d0c9e8f7a","jobType":"preprocess.tokenize","payload":{"texts":["hi"]},"priority":3,"requiredCapabilities":["gpu"],"timeout":"00:00:30"}""";

    [Fact]
    public void Deserialize_PythonProducerJson_ReadsEveryField()
    {
        // Arrange
        var json = PythonProducerJson;

        // Act
        var message = WireJson.Deserialize<SubmitTask>(json);

        // Assert
        Assert.Equal(new Guid("8a2c4b7e-0f1d-4c55-9a3e-2b1d0c9e8f7a"), message.TaskId);
        Assert.Equal("preprocess.tokenize", message.JobType);
        Assert.Equal(JsonValueKind.Object, message.Payload.ValueKind);
        Assert.Equal(["hi"], message.Payload.GetProperty("texts").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("""{"texts":["hi"]}""", message.Payload.GetRawText());
        Assert.Equal(3, message.Priority);
        Assert.Equal(["gpu"], message.RequiredCapabilities);
        Assert.Equal(TimeSpan.FromSeconds(30), message.Timeout);
        Assert.Equal(default, message.SubmittedAt);
    }

    [Fact]
    public void Deserialize_ExpectedCost_ReadsMillisecondsAsANumber()
    {
        // Arrange
        const string json = """{"taskId":"8a2c4b7e-0f1d-4c55-9a3e-2b1d0c9e8f7a","jobType":"j","expectedCost":1500.5}""";

        // Act
        var message = WireJson.Deserialize<SubmitTask>(json);

        // Assert
        Assert.Equal(1500.5, message.ExpectedCost);
    }

    [Fact]
    public void Deserialize_OnlyTaskId_UsesDefaultsForEverythingElse()
    {
        // Arrange
        const string json = """{"taskId":"8a2c4b7e-0f1d-4c55-9a3e-2b1d0c9e8f7a"}""";

        // Act
        var message = WireJson.Deserialize<SubmitTask>(json);

        // Assert
        Assert.Equal(string.Empty, message.JobType);
        Assert.Equal(JsonValueKind.Null, message.Payload.ValueKind);
        Assert.Equal(0, message.Priority);
        Assert.Empty(message.RequiredCapabilities);
        Assert.Null(message.Timeout);
        Assert.Null(message.ExpectedCost);
    }

    [Fact]
    public void Deserialize_WithoutTaskId_ThrowsJsonException()
    {
        // Arrange: TaskId is 'required'.
        const string json = """{"jobType":"preprocess.tokenize","payload":{"texts":["hi"]}}""";

        // Act
        var error = Assert.Throws<JsonException>(() => WireJson.Deserialize<SubmitTask>(json));

        // Assert
        Assert.Contains("taskId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_WithoutJobType_GivesEmptyJobType()
    {
        // Arrange: the dispatcher stores this as an invalid task instead of failing to deserialize it.
        const string json = """{"taskId":"8a2c4b7e-0f1d-4c55-9a3e-2b1d0c9e8f7a","payload":{"texts":["hi"]}}""";

        // Act
        var message = WireJson.Deserialize<SubmitTask>(json);

        // Assert
        Assert.Equal(new Guid("8a2c4b7e-0f1d-4c55-9a3e-2b1d0c9e8f7a"), message.TaskId);
        Assert.Equal(string.Empty, message.JobType);
    }

    [Fact]
    public void Deserialize_PascalCasePropertyNames_AreAcceptedCaseInsensitively()
    {
        // Arrange
        const string json = """{"TaskId":"8a2c4b7e-0f1d-4c55-9a3e-2b1d0c9e8f7a","JobType":"a.b","Priority":9}""";

        // Act
        var message = WireJson.Deserialize<SubmitTask>(json);

        // Assert
        Assert.Equal("a.b", message.JobType);
        Assert.Equal(9, message.Priority);
    }

    [Theory]
    [InlineData(30.0, "00:00:30")]
    [InlineData(90.5, "00:01:30.5000000")]
    [InlineData(93_600.0, "1.02:00:00")]
    public void Serialize_Timeout_IsConstantFormatTimeSpanString(double seconds, string expected)
    {
        // Arrange
        var message = new SubmitTask
        {
            TaskId = Guid.NewGuid(),
            JobType = "j",
            Payload = WireJson.Element("{}"),
            Timeout = TimeSpan.FromSeconds(seconds),
        };

        // Act
        var json = WireJson.Serialize(message);

        // Assert
        using var document = JsonDocument.Parse(json);
        Assert.Equal(expected, document.RootElement.GetProperty("timeout").GetString());
    }

    [Theory]
    [InlineData("30")]
    [InlineData("30000")]
    [InlineData("\"PT30S\"")]
    public void Deserialize_TimeoutAsNumberOrIso8601_ThrowsJsonException(string timeout)
    {
        // Arrange: only the "[d.]hh:mm:ss[.fffffff]" string form is accepted.
        var json = $$"""{"taskId":"8a2c4b7e-0f1d-4c55-9a3e-2b1d0c9e8f7a","jobType":"j","timeout":{{timeout}}}""";

        // Act
        var error = Record.Exception(() => WireJson.Deserialize<SubmitTask>(json));

        // Assert
        Assert.IsType<JsonException>(error);
    }

    [Fact]
    public void Serialize_SubmitTask_WritesDocumentedCamelCaseNames()
    {
        // Arrange
        var message = new SubmitTask
        {
            TaskId = Guid.NewGuid(),
            JobType = "preprocess.tokenize",
            Payload = WireJson.Element("""{"texts":["hi"]}"""),
            Timeout = TimeSpan.FromSeconds(30),
        };

        // Act
        var names = WireJson.PropertyNames(WireJson.Serialize(message));

        // Assert
        Assert.Equal(
            new HashSet<string>(StringComparer.Ordinal) { "taskId", "jobType", "payload", "priority", "requiredCapabilities", "timeout", "expectedCost", "submittedAt" },
            names.ToHashSet(StringComparer.Ordinal));
    }

    [Fact]
    public void Serialize_PayloadNeverSet_WritesJsonNull()
    {
        // Arrange: Payload defaults to JSON null, so a C# producer that sets none can still send.
        var message = new SubmitTask { TaskId = Guid.NewGuid(), JobType = "j" };

        // Act
        using var document = JsonDocument.Parse(WireJson.Serialize(message));

        // Assert
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("payload").ValueKind);
    }

    [Fact]
    public void Serialize_PayloadJsonNull_WritesNull()
    {
        // Arrange
        var message = new SubmitTask { TaskId = Guid.NewGuid(), JobType = "j", Payload = WireJson.Element("null") };

        // Act
        using var document = JsonDocument.Parse(WireJson.Serialize(message));

        // Assert
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("payload").ValueKind);
    }
}
