using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using WorkFleet.Contracts;
using WorkFleet.Jobs;
using WorkFleet.Jobs.BuiltIn;
using WorkFleet.Worker.Configuration;
using WorkFleet.Worker.Execution;

namespace WorkFleet.Worker.Tests.Execution;

/// <summary>A result larger than <c>WorkFleet:Worker:MaxResultBytes</c> is never sent: the attempt fails for good instead.</summary>
public sealed class ResultSizeLimitTests
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);
    private readonly JobHandlerRegistry _registry = new ServiceCollection()
        .AddBuiltInJobs()
        .BuildServiceProvider()
        .GetRequiredService<JobHandlerRegistry>();

    [Fact]
    public async Task Execute_TokenizeAmplifiedToTensOfMegabytes_FailsResultTooLargeAndIsNotRetried()
    {
        // The case: ~3 KB of input (1,024 empty texts, each padded to 4,096 tokens) makes ~46 MB of JSON.
        var task = Task(BuiltInJobTypes.Tokenize, new { texts = Enumerable.Repeat(string.Empty, 1024), maxLength = 4096 });

        var outcome = await Deadline.Within(Executor().ExecuteAsync(Runtime(new WorkerOptions { WorkerId = "w1" }), task, CancellationToken.None));

        // Not Assert.Null(outcome.Completed): its failure message would print the 46 MB.
        Assert.True(outcome.Completed is null, "the oversized result must not be sent");
        Assert.Equal(ErrorKinds.ResultTooLarge, outcome.Failed?.ErrorKind);
        Assert.False(outcome.Failed!.Retryable);
        Assert.Contains("over the limit of 4194304 bytes (WorkFleet:Worker:MaxResultBytes)", outcome.Failed.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(-1, true)]
    public async Task Execute_ResultAtOrOverTheLimit_SucceedsAtItAndFailsOneByteUnder(int slack, bool expectedTooLarge)
    {
        var input = new { texts = new[] { "hello world", "workfleet" }, maxLength = 16 };
        // Measured independently: the handler run alone, its result written out again by plain System.Text.Json.
        var handlerResult = await TokenizeHandler().ExecuteAsync(JsonSerializer.SerializeToElement(input, WebJson), CancellationToken.None);
        var size = JsonSerializer.SerializeToUtf8Bytes(handlerResult).Length;
        var limit = size + slack;

        var outcome = await Deadline.Within(Executor().ExecuteAsync(
            Runtime(new WorkerOptions { WorkerId = "w1", MaxResultBytes = limit }), Task(BuiltInJobTypes.Tokenize, input), CancellationToken.None));

        if (expectedTooLarge)
        {
            Assert.Null(outcome.Completed?.Result.GetRawText());
            Assert.Equal(ErrorKinds.ResultTooLarge, outcome.Failed?.ErrorKind);
            Assert.False(outcome.Failed!.Retryable);
            Assert.Equal(
                $"preprocess.tokenize: the result is {size} bytes, over the limit of {limit} bytes (WorkFleet:Worker:MaxResultBytes); it was not sent.",
                outcome.Failed.Error);
        }
        else
        {
            Assert.Null(outcome.Failed?.Error);
            Assert.Equal(handlerResult.GetRawText(), outcome.Completed!.Result.GetRawText());
        }
    }

    [Fact]
    public async Task Execute_OversizedResult_CountsAsAFailureInTheHeartbeat()
    {
        var runtime = Runtime(new WorkerOptions { WorkerId = "w1", MaxResultBytes = 10 });
        runtime.OnReceived();

        await Deadline.Within(Executor().ExecuteAsync(runtime, Task(BuiltInJobTypes.MatMul, new { size = 8 }), CancellationToken.None));

        var heartbeat = runtime.NextHeartbeat(DateTimeOffset.UtcNow, cpu: 0, memory: 0);
        Assert.Equal((0L, 1L, 0), (heartbeat.CompletedTotal, heartbeat.FailedTotal, heartbeat.InFlight));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void AddWorker_MaxResultBytesNotPositive_ThrowsNamingTheSetting(int maxResultBytes)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddWorkFleetWorker(o => o.MaxResultBytes = maxResultBytes));

        Assert.Equal($"WorkFleet:Worker:MaxResultBytes must be positive, got {maxResultBytes}.", error.Message);
    }

    [Fact]
    public void MaxResultBytes_Default_IsFourMebibytes() => Assert.Equal(4 * 1024 * 1024, new WorkerOptions().MaxResultBytes);

    [Fact]
    public async Task Execute_ImageNetSizedResize_SucceedsUnderTheDefaultLimit()
    {
        // 3 x 224 x 224 floats, the usual model input, is about 1.7 MB of JSON.
        var pixels = Convert.ToBase64String(new byte[256 * 256 * 3]);
        var task = Task(BuiltInJobTypes.Resize, new { width = 256, height = 256, pixels, crop = new[] { 224, 224 } });

        var outcome = await Deadline.Within(Executor().ExecuteAsync(Runtime(new WorkerOptions { WorkerId = "w1" }), task, CancellationToken.None));

        Assert.Null(outcome.Failed?.Error);
        Assert.Equal(3 * 224 * 224, outcome.Completed!.Result.GetProperty("data").GetArrayLength());
    }

    private IJobHandler TokenizeHandler() => _registry.TryGet(BuiltInJobTypes.Tokenize, out var handler) ? handler : throw new InvalidOperationException("no tokenizer");

    private TaskExecutor Executor() => new(_registry, TimeProvider.System, NullLogger<TaskExecutor>.Instance);

    private WorkerRuntime Runtime(WorkerOptions options) => new(options, [.. _registry.JobTypes], DateTimeOffset.UtcNow);

    private static ExecuteTask Task(string jobType, object input) => new()
    {
        TaskId = Guid.NewGuid(),
        Attempt = 1,
        WorkerId = "w1",
        JobType = jobType,
        Payload = JsonSerializer.SerializeToElement(input, WebJson),
    };
}
