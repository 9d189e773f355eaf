using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Jobs.BuiltIn;
using WorkFleet.Jobs.Tests.Support;

namespace WorkFleet.Jobs.Tests.Registration;

/// <summary>The handler SDK beyond single typed jobs: inference of types, progress, requirements, schemas, batching.</summary>
public class JobSdkTests
{
    [Fact]
    public async Task AddJobHandler_SingleTypeArgument_InfersInputAndOutput()
    {
        JobHandlerRegistry registry = TestRegistry.Build(services => services.AddJobHandler<GreetingHandler>("test.greet"));
        Assert.True(registry.TryGet("test.greet", out IJobHandler? handler));

        JsonElement output = await handler.ExecuteAsync(TestJson.Parse("""{"name":"Ada"}"""), CancellationToken.None);

        Assert.Equal("Hello, Ada!", output.GetProperty("greetingText").GetString());
    }

    [Fact]
    public void AddJobHandler_HandlerWithTwoInputTypes_ThrowsAskingForExplicitTypes()
    {
        var exception = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddJobHandler<TwoFacedHandler>("test.two"));

        Assert.Contains("TwoFacedHandler implements IJobHandler<TInput, TOutput> 2 times", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_WithProgress_HandlerReportsThroughJobContext()
    {
        IJobHandler handler = Counter();
        var reports = new RecordingProgress();

        await handler.ExecuteAsync(TestJson.Parse("""{"prefix":"n=","n":4}"""), reports, CancellationToken.None);

        Assert.Equal([0.25, 0.5, 0.75, 1.0], reports.Reports.Select(report => report.Fraction));
        Assert.Equal("test.count 4/4", reports.Reports[^1].Message);
    }

    [Fact]
    public async Task Execute_WithoutProgress_ReportsGoNowhere()
    {
        JsonElement output = await Counter().ExecuteAsync(TestJson.Parse("""{"prefix":"n=","n":2}"""), CancellationToken.None);

        Assert.Equal("n=2", output.GetProperty("greetingText").GetString());
    }

    [Fact]
    public void Info_HandlerAttributes_BecomeDescriptionAndRequirements()
    {
        JobTypeInfo info = Counter().Info;

        Assert.Equal("test.count", info.JobType);
        Assert.Equal("Counts to n.", info.Description);
        Assert.Equal(["gpu", "avx2"], info.Requirements.Capabilities);
        Assert.Equal(2048, info.Requirements.MemoryMb);
        Assert.True(info.SupportsBatching);
    }

    [Fact]
    public void Info_UntypedHandler_HasOnlyItsName()
    {
        JobTypeInfo info = ((IJobHandler)new PingHandler()).Info;

        Assert.Equal("test.ping", info.JobType);
        Assert.Null(info.InputSchema);
        Assert.Empty(info.Requirements.Capabilities);
        Assert.False(info.SupportsBatching);
    }

    [Fact]
    public void Describe_BuiltIns_ListsEveryTypeWithItsInputSchema()
    {
        JobHandlerRegistry registry = TestRegistry.Build(services => services.AddBuiltInJobs());

        IReadOnlyList<JobTypeInfo> infos = registry.Describe();

        Assert.Equal(
            [BuiltInJobTypes.MatMul, BuiltInJobTypes.Mlp, BuiltInJobTypes.Onnx, BuiltInJobTypes.Normalize, BuiltInJobTypes.Resize, BuiltInJobTypes.Tokenize],
            infos.Select(info => info.JobType));
        Assert.All(infos, info => Assert.False(string.IsNullOrWhiteSpace(info.Description)));
        Assert.All(infos, info => Assert.Equal("object", info.InputSchema!.Value.GetProperty("type").GetString()));
        Assert.Equal([BuiltInJobTypes.Mlp, BuiltInJobTypes.Onnx], infos.Where(info => info.SupportsBatching).Select(info => info.JobType));
    }

    [Fact]
    public void Describe_TokenizeSchema_HasRequiredFieldsTypesDefaultsAndDescriptions()
    {
        JobHandlerRegistry registry = TestRegistry.Build(services => services.AddBuiltInJobs());

        JsonElement schema = registry.Describe().Single(info => info.JobType == BuiltInJobTypes.Tokenize).InputSchema!.Value;

        Assert.Equal(["texts"], schema.GetProperty("required").EnumerateArray().Select(name => name.GetString()));
        JsonElement properties = schema.GetProperty("properties");
        Assert.Equal(["texts", "maxLength", "lowercase"], properties.EnumerateObject().Select(property => property.Name));
        Assert.Equal("array", properties.GetProperty("texts").GetProperty("type").GetString());
        Assert.Equal("integer", properties.GetProperty("maxLength").GetProperty("type").GetString());
        Assert.Equal(128, properties.GetProperty("maxLength").GetProperty("default").GetInt32());
        Assert.Contains("1 to 4096", properties.GetProperty("maxLength").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Describe_ResizeSchema_SpellsTheNumberOrPairOfResize()
    {
        JobHandlerRegistry registry = TestRegistry.Build(services => services.AddBuiltInJobs());

        JsonElement resize = registry.Describe().Single(info => info.JobType == BuiltInJobTypes.Resize)
            .InputSchema!.Value.GetProperty("properties").GetProperty("resize");

        Assert.Equal(["integer", "array"], resize.GetProperty("oneOf").EnumerateArray().Select(option => option.GetProperty("type").GetString()));
        Assert.True(resize.TryGetProperty("description", out _));
    }

    [Fact]
    public async Task ExecuteBatch_HandlerReturnsTooFewResults_ThrowsNamingTheHandler()
    {
        var batch = Assert.IsAssignableFrom<IBatchJobHandler>(Counter());
        BatchJobItem[] items = [.. Enumerable.Range(1, 3).Select(n => batch.Prepare(TestJson.Parse($$"""{"prefix":"p","n":{{n}}}""")))];

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => batch.ExecuteBatchAsync(items, CancellationToken.None));

        Assert.Contains("returned 2 results for a batch of 3", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteBatch_ItemFromAnotherHandler_ThrowsArgumentException()
    {
        var counter = Assert.IsAssignableFrom<IBatchJobHandler>(Counter());
        var mlp = Assert.IsAssignableFrom<IBatchJobHandler>(TestRegistry.BuiltIn(BuiltInJobTypes.Mlp));
        BatchJobItem foreign = mlp.Prepare(JsonSerializer.SerializeToElement(new { model = "digits-mlp", inputs = new[] { new float[64] } }));

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => counter.ExecuteBatchAsync([foreign], CancellationToken.None));

        Assert.Contains("prepared by the 'inference.mlp' handler, not by this 'test.count' handler", exception.Message, StringComparison.Ordinal);
    }

    private static IJobHandler Counter()
    {
        JobHandlerRegistry registry = TestRegistry.Build(services => services.AddJobHandler<CountingHandler>("test.count"));
        return registry.TryGet("test.count", out IJobHandler? handler) ? handler : throw new InvalidOperationException("Not registered.");
    }

    /// <summary>Records reports synchronously (<see cref="Progress{T}"/> would post them to the thread pool).</summary>
    private sealed class RecordingProgress : IProgress<JobProgress>
    {
        public List<JobProgress> Reports { get; } = [];

        public void Report(JobProgress value) => Reports.Add(value);
    }
}
