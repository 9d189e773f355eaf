using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using WorkFleet.Contracts;
using WorkFleet.Jobs;
using WorkFleet.Jobs.BuiltIn;
using WorkFleet.Worker.Configuration;
using WorkFleet.Worker.Execution;
using WorkFleet.Worker.Tests.Support;

namespace WorkFleet.Worker.Tests.Execution;

/// <summary>A worker runs only the job types it advertises, even those it has a handler for.</summary>
public sealed class AdvertisedJobTypesTests
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);
    private readonly BatchLog _log = new();
    private readonly TaskExecutor _executor;

    public AdvertisedJobTypesTests()
    {
        var registry = new ServiceCollection()
            .AddSingleton(_log)
            .AddBuiltInJobs()
            .AddJobHandler<GatedBatchHandler>(GatedBatchHandler.JobType)
            .BuildServiceProvider()
            .GetRequiredService<JobHandlerRegistry>();
        _executor = new TaskExecutor(registry, TimeProvider.System, NullLogger<TaskExecutor>.Instance);
    }

    [Fact]
    public async Task Execute_RegisteredButNotAdvertised_RefusedAsUnknownJobTypeWithoutRunning()
    {
        var runtime = new WorkerRuntime(new WorkerOptions { WorkerId = "w1" }, [BuiltInJobTypes.MatMul], DateTimeOffset.UtcNow);
        runtime.OnReceived();

        var outcome = await Deadline.Within(_executor.ExecuteAsync(runtime, Task(GatedBatchHandler.JobType, new EchoInput("k", 1)), CancellationToken.None));

        Assert.Null(outcome.Completed);
        Assert.Equal(ErrorKinds.UnknownJobType, outcome.Failed?.ErrorKind);
        Assert.False(outcome.Failed!.Retryable);
        Assert.Contains($"'{GatedBatchHandler.JobType}'", outcome.Failed.Error, StringComparison.Ordinal);
        Assert.Contains(BuiltInJobTypes.MatMul, outcome.Failed.Error, StringComparison.Ordinal);
        Assert.Empty(_log.Singles);
        var heartbeat = runtime.NextHeartbeat(DateTimeOffset.UtcNow, cpu: 0, memory: 0);
        Assert.Equal((0, 1, 0L), (heartbeat.Queued, (int)heartbeat.FailedTotal, heartbeat.CompletedTotal));
    }

    [Fact]
    public async Task Execute_AdvertisedJobType_Runs()
    {
        var runtime = new WorkerRuntime(new WorkerOptions { WorkerId = "w1" }, [GatedBatchHandler.JobType], DateTimeOffset.UtcNow);
        runtime.OnReceived();

        var outcome = await Deadline.Within(_executor.ExecuteAsync(runtime, Task(GatedBatchHandler.JobType, new EchoInput("k", 21)), CancellationToken.None));

        Assert.Null(outcome.Failed?.Error);
        Assert.Equal(42, outcome.Completed!.Result.GetProperty("doubled").GetInt32());
        Assert.Equal([21], _log.Singles);
    }

    private static ExecuteTask Task(string jobType, object input) => new()
    {
        TaskId = Guid.NewGuid(),
        Attempt = 1,
        WorkerId = "w1",
        JobType = jobType,
        Payload = JsonSerializer.SerializeToElement(input, WebJson),
    };
}
