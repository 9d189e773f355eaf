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

/// <summary>The executor with dynamic batching on: one task's fate never decides another's.</summary>
public sealed class BatchedExecutionTests
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);
    private readonly BatchLog _log = new();
    private readonly JobHandlerRegistry _registry;

    public BatchedExecutionTests()
    {
        var services = new ServiceCollection()
            .AddSingleton(_log)
            .AddBuiltInJobs()
            .AddJobHandler<GatedBatchHandler>(GatedBatchHandler.JobType);
        _registry = services.BuildServiceProvider().GetRequiredService<JobHandlerRegistry>();
    }

    [Fact]
    public async Task Execute_BadInputAmongBatchedTasks_FailsAloneAndTheRestRunAsOneBatch()
    {
        var (executor, runtime) = Worker(maxBatchSize: 2);
        var good1 = Task(GatedBatchHandler.JobType, new EchoInput("k", 1));
        var bad = Task(GatedBatchHandler.JobType, new EchoInput("k", -1));
        var good2 = Task(GatedBatchHandler.JobType, new EchoInput("k", 3));

        var outcomes = await Deadline.Within(System.Threading.Tasks.Task.WhenAll(
            executor.ExecuteAsync(runtime, good1, CancellationToken.None),
            executor.ExecuteAsync(runtime, bad, CancellationToken.None),
            executor.ExecuteAsync(runtime, good2, CancellationToken.None)));

        Assert.Equal(2, Doubled(outcomes[0]));
        Assert.Equal(ErrorKinds.InvalidInput, outcomes[1].Failed?.ErrorKind);
        Assert.Contains("'value' must not be negative", outcomes[1].Failed!.Error, StringComparison.Ordinal);
        Assert.Equal(6, Doubled(outcomes[2]));
        Assert.Equal([1, 3], Assert.Single(_log.Batches));
        Assert.Empty(_log.Singles);
        Assert.Equal((1, 2), runtime.Batcher.Statistics()[GatedBatchHandler.JobType]);
    }

    [Fact]
    public async Task Execute_OneTaskOfARunningBatchTimesOut_ItFailsAsTimeoutAndTheOtherCompletes()
    {
        var (executor, runtime) = Worker(maxBatchSize: 2);
        _log.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var impatient = Task(GatedBatchHandler.JobType, new EchoInput("k", 1)) with { Timeout = TimeSpan.FromMilliseconds(100) };
        var patient = Task(GatedBatchHandler.JobType, new EchoInput("k", 2));

        var impatientRun = executor.ExecuteAsync(runtime, impatient, CancellationToken.None);
        var patientRun = executor.ExecuteAsync(runtime, patient, CancellationToken.None);
        var timedOut = await Deadline.Within(impatientRun);
        _log.Release();

        Assert.Equal(ErrorKinds.Timeout, timedOut.Failed?.ErrorKind);
        Assert.True(timedOut.Failed!.Retryable);
        Assert.Equal(4, Doubled(await Deadline.Within(patientRun)));
    }

    [Fact]
    public async Task Execute_OneTaskOfARunningBatchCancelled_ItReportsCancelledAndTheOtherCompletes()
    {
        var (executor, runtime) = Worker(maxBatchSize: 2);
        _log.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = Task(GatedBatchHandler.JobType, new EchoInput("k", 1));
        var kept = Task(GatedBatchHandler.JobType, new EchoInput("k", 2));

        var cancelledRun = executor.ExecuteAsync(runtime, cancelled, CancellationToken.None);
        var keptRun = executor.ExecuteAsync(runtime, kept, CancellationToken.None);
        await Deadline.Within(_log.Started.Task);
        runtime.Cancel(cancelled.TaskId);
        var outcome = await Deadline.Within(cancelledRun);
        _log.Release();

        Assert.Equal(ErrorKinds.Cancelled, outcome.Failed?.ErrorKind);
        Assert.Equal(4, Doubled(await Deadline.Within(keptRun)));
    }

    [Fact]
    public async Task Execute_DifferentBatchKeys_RunInSeparateBatches()
    {
        var (executor, runtime) = Worker(maxBatchSize: 2, maxDelay: TimeSpan.FromMilliseconds(20));

        var outcomes = await Deadline.Within(System.Threading.Tasks.Task.WhenAll(
            executor.ExecuteAsync(runtime, Task(GatedBatchHandler.JobType, new EchoInput("a", 1)), CancellationToken.None),
            executor.ExecuteAsync(runtime, Task(GatedBatchHandler.JobType, new EchoInput("b", 2)), CancellationToken.None)));

        Assert.Equal([2, 4], outcomes.Select(Doubled));
        Assert.Equal(new[] { new[] { 1 }, [2] }, _log.Batches.OrderBy(b => b[0]));
    }

    [Fact]
    public async Task Execute_BatchingNotConfigured_RunsEachTaskAlone()
    {
        var (executor, runtime) = Worker(maxBatchSize: null);

        var outcome = await Deadline.Within(executor.ExecuteAsync(runtime, Task(GatedBatchHandler.JobType, new EchoInput("k", 5)), CancellationToken.None));

        Assert.Equal(10, Doubled(outcome));
        Assert.Equal([5], _log.Singles);
        Assert.Empty(_log.Batches);
    }

    [Fact]
    public async Task Execute_MlpTasksBatched_EachGetsTheSamePredictionsAsWhenRunAlone()
    {
        var random = new Random(7);
        var inputs = Enumerable.Range(0, 4)
            .Select(i => new { model = "digits-mlp", inputs = Enumerable.Range(0, 1 + i).Select(_ => Enumerable.Range(0, 64).Select(_ => (float)random.Next(16)).ToArray()).ToArray() })
            .ToList();
        var (batchedExecutor, batched) = Worker(maxBatchSize: 4, jobType: BuiltInJobTypes.Mlp);
        var (singleExecutor, single) = Worker(maxBatchSize: null);

        var batchedOutcomes = await Deadline.Within(System.Threading.Tasks.Task.WhenAll(
            inputs.Select(input => batchedExecutor.ExecuteAsync(batched, Task(BuiltInJobTypes.Mlp, input), CancellationToken.None))));
        var singleOutcomes = await Deadline.Within(System.Threading.Tasks.Task.WhenAll(
            inputs.Select(input => singleExecutor.ExecuteAsync(single, Task(BuiltInJobTypes.Mlp, input), CancellationToken.None))));

        Assert.Equal((1, 4), batched.Batcher.Statistics()[BuiltInJobTypes.Mlp]);
        for (var i = 0; i < inputs.Count; i++)
        {
            var expected = Probabilities(singleOutcomes[i]);
            var actual = Probabilities(batchedOutcomes[i]);
            Assert.Equal(inputs[i].inputs.Length, actual.Length);
            Assert.Equal(expected.Length, actual.Length);
            for (var row = 0; row < expected.Length; row++)
            {
                Assert.Equal(expected[row].Length, actual[row].Length);
                for (var c = 0; c < expected[row].Length; c++)
                {
                    Assert.Equal(expected[row][c], actual[row][c], 1e-5f);
                }
            }
        }
    }

    private (TaskExecutor Executor, WorkerRuntime Runtime) Worker(int? maxBatchSize, TimeSpan? maxDelay = null, string jobType = GatedBatchHandler.JobType)
    {
        var options = new WorkerOptions { WorkerId = "w1", Capacity = 8 };
        if (maxBatchSize is { } size)
        {
            options.Batching[jobType] = new BatchingOptions { MaxBatchSize = size, MaxDelay = maxDelay ?? TimeSpan.FromSeconds(1) };
        }

        var runtime = new WorkerRuntime(options, [.. _registry.JobTypes], DateTimeOffset.UtcNow, TimeProvider.System);
        return (new TaskExecutor(_registry, TimeProvider.System, NullLogger<TaskExecutor>.Instance), runtime);
    }

    private static ExecuteTask Task(string jobType, object input) => new()
    {
        TaskId = Guid.NewGuid(),
        Attempt = 1,
        WorkerId = "w1",
        JobType = jobType,
        Payload = JsonSerializer.SerializeToElement(input, WebJson),
    };

    private static int Doubled(ExecutionOutcome outcome)
    {
        Assert.Null(outcome.Failed?.Error);
        return outcome.Completed!.Result.GetProperty("doubled").GetInt32();
    }

    private static float[][] Probabilities(ExecutionOutcome outcome)
    {
        Assert.Null(outcome.Failed?.Error);
        return [.. outcome.Completed!.Result.GetProperty("results").EnumerateArray()
            .Select(r => r.GetProperty("probabilities").EnumerateArray().Select(p => p.GetSingle()).ToArray())];
    }
}
