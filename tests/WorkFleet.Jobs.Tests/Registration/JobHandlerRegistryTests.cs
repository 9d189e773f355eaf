using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Jobs.BuiltIn;
using WorkFleet.Jobs.Tests.Support;

namespace WorkFleet.Jobs.Tests.Registration;

public class JobHandlerRegistryTests
{
    [Fact]
    public void TryGet_UnknownJobType_ReturnsFalse()
    {
        JobHandlerRegistry registry = TestRegistry.Build(services => services.AddBuiltInJobs());

        bool found = registry.TryGet("images.resize", out IJobHandler? handler);

        Assert.False(found);
        Assert.Null(handler);
    }

    [Fact]
    public void TryGet_JobTypeInOtherCase_ReturnsFalse()
    {
        JobHandlerRegistry registry = TestRegistry.Build(services => services.AddBuiltInJobs());

        Assert.False(registry.TryGet("Compute.MatMul", out _));
    }

    [Fact]
    public void AddBuiltInJobs_CalledTwice_RegistersEachJobOnceSorted()
    {
        JobHandlerRegistry registry = TestRegistry.Build(services => services.AddBuiltInJobs().AddBuiltInJobs());

        Assert.Equal(
            [BuiltInJobTypes.MatMul, BuiltInJobTypes.Mlp, BuiltInJobTypes.Onnx, BuiltInJobTypes.Normalize, BuiltInJobTypes.Resize, BuiltInJobTypes.Tokenize],
            registry.JobTypes);
        Assert.True(registry.TryGet(BuiltInJobTypes.Tokenize, out IJobHandler? handler));
        Assert.Equal(BuiltInJobTypes.Tokenize, handler.JobType);
    }

    [Fact]
    public void AddJobHandler_TwoHandlersForOneJobType_RegistryBuildThrowsNamingTheType()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => TestRegistry.Build(services => services
            .AddJobHandler<GreetingHandler, GreetingInput, GreetingOutput>("test.greet")
            .AddJobHandler<OtherGreetingHandler, GreetingInput, GreetingOutput>("test.greet")));

        Assert.Contains("'test.greet'", exception.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(OtherGreetingHandler), exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddJobHandler_SameRegistrationTwice_RegistersOnce()
    {
        JobHandlerRegistry registry = TestRegistry.Build(services => services
            .AddJobHandler<GreetingHandler, GreetingInput, GreetingOutput>("test.greet")
            .AddJobHandler<GreetingHandler, GreetingInput, GreetingOutput>("test.greet"));

        Assert.Equal(["test.greet"], registry.JobTypes);
    }

    [Fact]
    public void AddJobHandler_OneHandlerUnderTwoJobTypes_RegistersBoth()
    {
        JobHandlerRegistry registry = TestRegistry.Build(services => services
            .AddJobHandler<GreetingHandler, GreetingInput, GreetingOutput>("test.greet")
            .AddJobHandler<GreetingHandler, GreetingInput, GreetingOutput>("test.welcome"));

        Assert.Equal(["test.greet", "test.welcome"], registry.JobTypes);
    }

    [Fact]
    public void Registry_UntypedHandlerRegisteredAsService_IsIncluded()
    {
        JobHandlerRegistry registry = TestRegistry.Build(services => services
            .AddSingleton<IJobHandler>(new PingHandler())
            .AddBuiltInJobs());

        Assert.True(registry.TryGet("test.ping", out IJobHandler? handler));
        Assert.IsType<PingHandler>(handler);
    }

    [Fact]
    public void Constructor_DuplicateUntypedHandlers_ThrowsNamingTheType()
    {
        var exception = Assert.Throws<InvalidOperationException>(
            () => new JobHandlerRegistry([new PingHandler("test.ping"), new PingHandler("test.ping")]));

        Assert.Contains("'test.ping'", exception.Message, StringComparison.Ordinal);
    }
}
