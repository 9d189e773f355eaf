using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Jobs.Tests.Support;

namespace WorkFleet.Jobs.Tests.Registration;

/// <summary>The typed-handler adapter as the worker sees it: JSON in, JSON out, exceptions by kind.</summary>
public class JobHandlerAdapterTests
{
    private const string JobType = "test.greet";

    [Fact]
    public async Task Execute_ValidInput_RunsHandlerAndReturnsCamelCaseJson()
    {
        IJobHandler handler = Greeter();

        JsonElement output = await handler.ExecuteAsync(
            TestJson.Parse("""{"NAME":"Ada","times":2,"unknownField":[1,2]}"""), CancellationToken.None);

        Assert.Equal("Hello, Ada! Hello, Ada!", output.GetProperty("greetingText").GetString());
        Assert.Equal(23, output.GetProperty("length").GetInt32());
    }

    [Fact]
    public async Task Execute_WrongTypeForField_ThrowsJobInputExceptionNamingJobTypeAndPath()
    {
        IJobHandler handler = Greeter();

        var exception = await Assert.ThrowsAsync<JobInputException>(() => handler.ExecuteAsync(
            TestJson.Parse("""{"name":"Ada","times":{"n":2}}"""), CancellationToken.None));

        Assert.StartsWith("test.greet: ", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'$.times'", exception.Message, StringComparison.Ordinal);
        Assert.IsType<JsonException>(exception.InnerException);
    }

    [Fact]
    public async Task Execute_MissingRequiredField_ThrowsJobInputExceptionNamingTheField()
    {
        IJobHandler handler = Greeter();

        var exception = await Assert.ThrowsAsync<JobInputException>(
            () => handler.ExecuteAsync(TestJson.Parse("""{"times":1}"""), CancellationToken.None));

        Assert.StartsWith("test.greet: ", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'name'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_NullForNonNullableField_ThrowsJobInputException()
    {
        IJobHandler handler = Greeter();

        var exception = await Assert.ThrowsAsync<JobInputException>(
            () => handler.ExecuteAsync(TestJson.Parse("""{"name":null}"""), CancellationToken.None));

        Assert.Contains("'$.name'", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("[1,2]")]
    [InlineData("\"Ada\"")]
    public async Task Execute_InputNotAnObject_ThrowsJobInputExceptionNamingJobType(string json)
    {
        IJobHandler handler = Greeter();

        var exception = await Assert.ThrowsAsync<JobInputException>(
            () => handler.ExecuteAsync(TestJson.Parse(json), CancellationToken.None));

        Assert.StartsWith("test.greet: ", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_UndefinedElement_ThrowsJobInputException()
    {
        IJobHandler handler = Greeter();

        await Assert.ThrowsAsync<JobInputException>(() => handler.ExecuteAsync(default, CancellationToken.None));
    }

    [Fact]
    public async Task Execute_ValidationErrors_ThrowsJobInputExceptionListingAll()
    {
        IJobHandler handler = Greeter();

        var exception = await Assert.ThrowsAsync<JobInputException>(
            () => handler.ExecuteAsync(TestJson.Parse("""{"name":" ","times":7}"""), CancellationToken.None));

        Assert.Equal(
            "test.greet: 'name' must not be empty; 'times' must be between 1 and 3 but is 7",
            exception.Message);
    }

    [Fact]
    public async Task Execute_PreCancelledToken_ThrowsOperationCanceled()
    {
        IJobHandler handler = Greeter();
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => handler.ExecuteAsync(TestJson.Parse("""{"name":"Ada"}"""), cancellation.Token));
    }

    [Fact]
    public async Task Execute_HandlerThrowsTransient_PropagatesUnchanged()
    {
        IJobHandler handler = Greeter();

        var exception = await Assert.ThrowsAsync<TransientJobException>(() => handler.ExecuteAsync(
            TestJson.Parse($$"""{"name":"{{GreetingHandler.BusyName}}"}"""), CancellationToken.None));

        Assert.Equal("The greeting service is busy.", exception.Message);
    }

    [Fact]
    public async Task Execute_HandlerRegisteredScoped_ResolvedFromAScopePerJob()
    {
        JobHandlerRegistry registry = TestRegistry.Build(services => services
            .AddScoped<GreetingHandler>()
            .AddJobHandler<GreetingHandler, GreetingInput, GreetingOutput>(JobType));
        Assert.True(registry.TryGet(JobType, out IJobHandler? handler));

        JsonElement output = await handler.ExecuteAsync(TestJson.Parse("""{"name":"Bo"}"""), CancellationToken.None);

        Assert.Equal("Hello, Bo!", output.GetProperty("greetingText").GetString());
    }

    private static IJobHandler Greeter()
    {
        JobHandlerRegistry registry = TestRegistry.Build(
            services => services.AddJobHandler<GreetingHandler, GreetingInput, GreetingOutput>(JobType));
        return registry.TryGet(JobType, out IJobHandler? handler)
            ? handler
            : throw new InvalidOperationException("The greeting job is not registered.");
    }
}
