using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkFleet.Jobs;
using WorkFleet.Jobs.BuiltIn;
using WorkFleet.Worker.Configuration;
using WorkFleet.Worker.Execution;
using WorkFleet.Worker.Tests.Support;

namespace WorkFleet.Worker.Tests.Configuration;

/// <summary>A worker advertises only the job types whose declared requirements it meets.</summary>
public sealed class WorkerJobTypesTests
{
    private const long PlentyOfMemoryMb = 64 * 1024;
    private readonly ListLogger _logger = new();
    private readonly JobHandlerRegistry _registry = new ServiceCollection()
        .AddBuiltInJobs()
        .AddJobHandler<GpuOnlyHandler>(GpuOnlyHandler.JobType)
        .BuildServiceProvider()
        .GetRequiredService<JobHandlerRegistry>();

    [Fact]
    public void Resolve_WorkerLacksARequiredCapability_LeavesTheJobTypeOutAndWarnsNamingIt()
    {
        var options = new WorkerOptions { WorkerId = "cpu-1", Capabilities = ["gpu"] };

        var advertised = WorkerJobTypes.Resolve(_registry, options, PlentyOfMemoryMb, _logger);

        Assert.DoesNotContain(GpuOnlyHandler.JobType, advertised);
        Assert.Contains(BuiltInJobTypes.Mlp, advertised);
        var (level, message) = Assert.Single(_logger.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains("cpu-1", message, StringComparison.Ordinal);
        Assert.Contains(GpuOnlyHandler.JobType, message, StringComparison.Ordinal);
        Assert.Contains("[cuda12]", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_WorkerOffersEveryCapabilityAndTheMemory_AdvertisesTheJobType()
    {
        var options = new WorkerOptions { Capabilities = ["cuda12", "gpu", "avx2"] };

        var advertised = WorkerJobTypes.Resolve(_registry, options, PlentyOfMemoryMb, _logger);

        Assert.Equal(_registry.JobTypes, advertised);
        Assert.Empty(_logger.Entries);
    }

    [Fact]
    public void Resolve_CapabilitiesDifferInCase_DoesNotMatchLikeTheDispatcher()
    {
        var options = new WorkerOptions { Capabilities = ["GPU", "cuda12"] };

        var advertised = WorkerJobTypes.Resolve(_registry, options, PlentyOfMemoryMb, _logger);

        Assert.DoesNotContain(GpuOnlyHandler.JobType, advertised);
        Assert.Contains("[gpu]", Assert.Single(_logger.Entries).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_LessMemoryThanAJobDeclares_LeavesTheJobTypeOutAndWarns()
    {
        var options = new WorkerOptions { Capabilities = ["gpu", "cuda12"] };

        var advertised = WorkerJobTypes.Resolve(_registry, options, availableMemoryMb: 2048, _logger);

        Assert.DoesNotContain(GpuOnlyHandler.JobType, advertised);
        var message = Assert.Single(_logger.Entries).Message;
        Assert.Contains(GpuOnlyHandler.JobType, message, StringComparison.Ordinal);
        Assert.Contains("4096 MiB", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ConfiguredJobTypesLackingCapabilities_AreLeftOutToo()
    {
        var options = new WorkerOptions { JobTypes = [GpuOnlyHandler.JobType, BuiltInJobTypes.Mlp] };

        var advertised = WorkerJobTypes.Resolve(_registry, options, PlentyOfMemoryMb, _logger);

        Assert.Equal([BuiltInJobTypes.Mlp], advertised);
    }

    [Fact]
    public void Resolve_ConfiguredJobTypeHasNoHandler_ThrowsNamingTheSetting()
    {
        var options = new WorkerOptions { JobTypes = ["nope"] };

        var error = Assert.Throws<InvalidOperationException>(() => WorkerJobTypes.Resolve(_registry, options, PlentyOfMemoryMb, _logger));

        Assert.Contains("WorkFleet:Worker:JobTypes", error.Message, StringComparison.Ordinal);
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Heartbeat_OfAWorkerWithoutTheCapability_NeverListsTheJobType()
    {
        var options = new WorkerOptions { WorkerId = "cpu-1" };
        var runtime = new WorkerRuntime(options, WorkerJobTypes.Resolve(_registry, options, PlentyOfMemoryMb, _logger), DateTimeOffset.UtcNow);

        var heartbeat = runtime.NextHeartbeat(DateTimeOffset.UtcNow, cpu: 0, memory: 0);

        Assert.DoesNotContain(GpuOnlyHandler.JobType, heartbeat.JobTypes);
        Assert.Contains(BuiltInJobTypes.Mlp, heartbeat.JobTypes);
    }
}
