using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WorkFleet.Jobs;
using WorkFleet.Jobs.BuiltIn;
using WorkFleet.Worker.Configuration;

namespace WorkFleet.Worker.Tests.Configuration;

/// <summary>Batching settings bind from configuration and bad ones fail at start, naming the setting.</summary>
public sealed class BatchingConfigurationTests
{
    private readonly JobHandlerRegistry _registry = new ServiceCollection().AddBuiltInJobs().BuildServiceProvider().GetRequiredService<JobHandlerRegistry>();

    [Fact]
    public void Bind_JobTypeWithDotsAsKey_ReadsMaxBatchSizeAndMaxDelay()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WorkFleet:Worker:Batching:inference.mlp:MaxBatchSize"] = "8",
            ["WorkFleet:Worker:Batching:inference.mlp:MaxDelay"] = "00:00:00.005",
            ["WorkFleet:Worker:Batching:inference.mlp:MaxConcurrentBatches"] = "2",
        }).Build();
        var options = new WorkerOptions();

        configuration.GetSection(WorkerOptions.SectionName).Bind(options);

        var mlp = options.Batching[BuiltInJobTypes.Mlp];
        Assert.Equal(8, mlp.MaxBatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(5), mlp.MaxDelay);
        Assert.Equal(2, mlp.MaxConcurrentBatches);
        Assert.True(mlp.IsEnabled);
    }

    [Fact]
    public void Defaults_BatchingIsOff()
    {
        var options = new BatchingOptions();

        Assert.Equal(1, options.MaxBatchSize);
        Assert.Equal(1, options.MaxConcurrentBatches);
        Assert.False(options.IsEnabled);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void AddWorker_MaxConcurrentBatchesOutsideOneToCapacity_ThrowsNamingTheSetting(int maxConcurrentBatches)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddWorkFleetWorker(o =>
        {
            o.Capacity = 8;
            o.Batching[BuiltInJobTypes.Mlp] = new BatchingOptions { MaxBatchSize = 4, MaxConcurrentBatches = maxConcurrentBatches };
        }));

        Assert.Contains("WorkFleet:Worker:Batching:inference.mlp:MaxConcurrentBatches must be within 1..8", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void AddWorker_MaxBatchSizeOutsideOneToCapacity_ThrowsNamingTheSetting(int maxBatchSize)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddWorkFleetWorker(o =>
        {
            o.Capacity = 8;
            o.Batching[BuiltInJobTypes.Mlp] = new BatchingOptions { MaxBatchSize = maxBatchSize };
        }));

        Assert.Contains("WorkFleet:Worker:Batching:inference.mlp:MaxBatchSize must be within 1..8", error.Message, StringComparison.Ordinal);
        Assert.Contains("WorkFleet:Worker:Capacity", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddWorker_NegativeMaxDelay_ThrowsNamingTheSetting()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddWorkFleetWorker(o =>
            o.Batching[BuiltInJobTypes.Mlp] = new BatchingOptions { MaxBatchSize = 2, MaxDelay = TimeSpan.FromMilliseconds(-1) }));

        Assert.Contains("WorkFleet:Worker:Batching:inference.mlp:MaxDelay", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateBatching_HandlerCannotBatch_ThrowsNamingTheSettingAndTheJobTypesThatCan()
    {
        var options = new WorkerOptions();
        options.Batching[BuiltInJobTypes.Tokenize] = new BatchingOptions { MaxBatchSize = 4 };

        var error = Assert.Throws<InvalidOperationException>(() => WorkerJobTypes.ValidateBatching(_registry, options));

        Assert.Contains("WorkFleet:Worker:Batching:preprocess.tokenize:MaxBatchSize", error.Message, StringComparison.Ordinal);
        Assert.Contains("job types that can: inference.mlp", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateBatching_UnknownJobType_ThrowsNamingTheSetting()
    {
        var options = new WorkerOptions();
        options.Batching["inference.bert"] = new BatchingOptions { MaxBatchSize = 4 };

        var error = Assert.Throws<InvalidOperationException>(() => WorkerJobTypes.ValidateBatching(_registry, options));

        Assert.Contains("WorkFleet:Worker:Batching:inference.bert:MaxBatchSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateBatching_BatchSizeOneForAnyJobType_IsAccepted()
    {
        var options = new WorkerOptions();
        options.Batching[BuiltInJobTypes.Tokenize] = new BatchingOptions { MaxBatchSize = 1 };
        options.Batching[BuiltInJobTypes.Mlp] = new BatchingOptions { MaxBatchSize = 4 };

        WorkerJobTypes.ValidateBatching(_registry, options);
    }

    [Fact]
    public void AdviseBatchCapacity_CapacityEqualToTheBatch_SaysBatchesHoldAboutHalfAndWhatCapacityFillsThem()
    {
        var logger = new Support.ListLogger();
        var options = new WorkerOptions { WorkerId = "gpu-1", Capacity = 16 };
        options.Batching[BuiltInJobTypes.Mlp] = new BatchingOptions { MaxBatchSize = 16 };

        var advised = WorkerJobTypes.AdviseBatchCapacity(options, logger);

        Assert.Equal([BuiltInJobTypes.Mlp], advised);
        var (_, message) = Assert.Single(logger.Entries);
        Assert.Contains("about 8 tasks", message, StringComparison.Ordinal);
        Assert.Contains("set Capacity to 32", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AdviseBatchCapacity_RoomForAFullBatchBesideEachRunningOne_SaysNothing()
    {
        var logger = new Support.ListLogger();
        var options = new WorkerOptions { Capacity = 48 };
        options.Batching[BuiltInJobTypes.Mlp] = new BatchingOptions { MaxBatchSize = 16, MaxConcurrentBatches = 2 };

        Assert.Empty(WorkerJobTypes.AdviseBatchCapacity(options, logger));
        Assert.Empty(logger.Entries);
    }
}
