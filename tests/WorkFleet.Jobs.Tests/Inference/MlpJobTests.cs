using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WorkFleet.Jobs.BuiltIn;
using WorkFleet.Jobs.BuiltIn.Inference;
using WorkFleet.Jobs.Tests.Support;

namespace WorkFleet.Jobs.Tests.Inference;

/// <summary>The <c>inference.mlp</c> job through the registry, single and batched, with a user model directory.</summary>
public sealed class MlpJobTests : IDisposable
{
    private readonly string _modelDirectory = Directory.CreateTempSubdirectory("workfleet-models-").FullName;
    private readonly JobHandlerRegistry _registry;

    public MlpJobTests()
    {
        // The hand-computed 2 -> 2 -> 2 model of MlpModelTests, saved under the name "tiny".
        using (FileStream file = File.Create(Path.Combine(_modelDirectory, "tiny.safetensors")))
        {
            MlpModelTests.TinyModel().Save(file);
        }

        _registry = TestRegistry.Build(services => services
            .AddBuiltInJobs()
            .Configure<MlpModelOptions>(options => options.ModelDirectory = _modelDirectory));
    }

    public void Dispose() => Directory.Delete(_modelDirectory, recursive: true);

    [Fact]
    public async Task Mlp_UserModel_ReturnsHandComputedProbabilitiesAndTopKInDocumentedShape()
    {
        JsonElement output = await Job().ExecuteAsync(
            TestJson.Parse("""{"model":"tiny","inputs":[[3,1],[-1,2]],"topK":1}"""), CancellationToken.None);

        Assert.Equal(["model", "results"], output.EnumerateObject().Select(property => property.Name));
        Assert.Equal("tiny", output.GetProperty("model").GetString());
        JsonElement first = output.GetProperty("results")[0];
        Assert.Equal(["probabilities", "topK"], first.EnumerateObject().Select(property => property.Name));
        Assert.Equal(0.8807971, first.GetProperty("probabilities")[0].GetDouble(), 1e-6);
        Assert.Equal(0.1192029, first.GetProperty("probabilities")[1].GetDouble(), 1e-6);
        JsonElement top = Assert.Single(first.GetProperty("topK").EnumerateArray());
        Assert.Equal(["class", "label", "probability"], top.EnumerateObject().Select(property => property.Name));
        Assert.Equal(0, top.GetProperty("class").GetInt32());
        Assert.Equal("0", top.GetProperty("label").GetString());
        Assert.Equal(1, output.GetProperty("results")[1].GetProperty("topK")[0].GetProperty("class").GetInt32());
    }

    [Fact]
    public async Task Mlp_DefaultTopK_ListsThreeMostProbableInOrder()
    {
        float[] row = new float[64];
        JsonElement output = await Job().ExecuteAsync(
            JsonSerializer.SerializeToElement(new { model = "digits-mlp", inputs = new[] { row } }), CancellationToken.None);

        JsonElement result = output.GetProperty("results")[0];
        float[] probabilities = [.. result.GetProperty("probabilities").EnumerateArray().Select(p => p.GetSingle())];
        Assert.Equal(10, probabilities.Length);
        Assert.Equal(1.0, probabilities.Sum(), 1e-5);
        int[] expectedTop = [.. Enumerable.Range(0, 10).OrderByDescending(i => probabilities[i]).Take(3)];
        Assert.Equal(expectedTop, result.GetProperty("topK").EnumerateArray().Select(t => t.GetProperty("class").GetInt32()));
    }

    [Fact]
    public async Task Mlp_DefaultTopKOnTwoClassModel_ListsBothClasses()
    {
        JsonElement output = await Job().ExecuteAsync(TestJson.Parse("""{"model":"tiny","inputs":[[3,1]]}"""), CancellationToken.None);

        Assert.Equal([0, 1], output.GetProperty("results")[0].GetProperty("topK").EnumerateArray().Select(t => t.GetProperty("class").GetInt32()));
    }

    [Theory]
    [InlineData("""{"model":"nope","inputs":[[1,2]]}""", "'model' \"nope\" is not a known model; available: digits-mlp, tiny")]
    [InlineData("""{"model":"../etc/passwd","inputs":[[1,2]]}""", "'model' must be 1 to 128 letters, digits")]
    [InlineData("""{"model":"tiny","inputs":[[1,2],[1,2,3]]}""", "'inputs[1]' has 3 values but model 'tiny' takes 2")]
    [InlineData("""{"model":"tiny","inputs":[[1,2]],"topK":3}""", "'topK' must be between 1 and 2 (the classes of model 'tiny') but is 3")]
    [InlineData("""{"model":"tiny","inputs":[[1,2]],"topK":0}""", "'topK' must be at least 1 but is 0")]
    [InlineData("""{"model":"tiny","inputs":[]}""", "'inputs' must contain 1 to 4096 rows but has 0")]
    [InlineData("""{"model":"tiny","inputs":[[1,2],null]}""", "'inputs[1]' is null")]
    [InlineData("""{"inputs":[[1,2]]}""", "'model'")]
    public async Task Mlp_InvalidInput_ThrowsJobInputExceptionNamingTheField(string json, string expected)
    {
        var exception = await Assert.ThrowsAsync<JobInputException>(
            () => Job().ExecuteAsync(TestJson.Parse(json), CancellationToken.None));

        Assert.StartsWith("inference.mlp: ", exception.Message, StringComparison.Ordinal);
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mlp_CorruptUserModel_ThrowsInvalidDataExceptionNamingTheModel()
    {
        await File.WriteAllBytesAsync(Path.Combine(_modelDirectory, "broken.safetensors"), [1, 2, 3]);

        var exception = await Assert.ThrowsAsync<InvalidDataException>(
            () => Job().ExecuteAsync(TestJson.Parse("""{"model":"broken","inputs":[[1]]}"""), CancellationToken.None));

        Assert.StartsWith("model 'broken': ", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Batch_ThreeJobsOneModel_ResultsEqualSingleRuns()
    {
        var batch = Assert.IsAssignableFrom<IBatchJobHandler>(Job());
        string[] inputs =
        [
            """{"model":"tiny","inputs":[[3,1]]}""",
            """{"model":"tiny","inputs":[[-1,2],[0.5,0.25]],"topK":2}""",
            """{"model":"tiny","inputs":[[7,-7]]}""",
        ];

        BatchJobItem[] items = [.. inputs.Select(json => batch.Prepare(TestJson.Parse(json)))];
        IReadOnlyList<JsonElement> batched = await batch.ExecuteBatchAsync(items, CancellationToken.None);

        Assert.All(items, item => Assert.Equal("tiny", item.BatchKey));
        Assert.All(items, item => Assert.Equal(BuiltInJobTypes.Mlp, item.JobType));
        Assert.Equal(3, batched.Count);
        for (int i = 0; i < inputs.Length; i++)
        {
            JsonElement single = await batch.ExecuteAsync(TestJson.Parse(inputs[i]), CancellationToken.None);
            Assert.Equal(single.GetRawText(), batched[i].GetRawText());
        }
    }

    [Fact]
    public void Prepare_InvalidInput_FailsThatItemAlone()
    {
        var batch = Assert.IsAssignableFrom<IBatchJobHandler>(Job());

        var exception = Assert.Throws<JobInputException>(() => batch.Prepare(TestJson.Parse("""{"model":"tiny","inputs":[[1,2,3]]}""")));

        Assert.Contains("'inputs[0]' has 3 values but model 'tiny' takes 2", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteBatch_ItemsOfDifferentModels_ThrowsArgumentException()
    {
        var batch = Assert.IsAssignableFrom<IBatchJobHandler>(Job());
        BatchJobItem tiny = batch.Prepare(TestJson.Parse("""{"model":"tiny","inputs":[[1,2]]}"""));
        BatchJobItem digits = batch.Prepare(JsonSerializer.SerializeToElement(new { model = "digits-mlp", inputs = new[] { new float[64] } }));

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => batch.ExecuteBatchAsync([tiny, digits], CancellationToken.None));

        Assert.Contains("batch key 'digits-mlp' but items[0] has 'tiny'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_UserDirectory_ListsBothAndLoadsEachModelOnce()
    {
        var catalog = new MlpModelCatalog(Microsoft.Extensions.Options.Options.Create(new MlpModelOptions { ModelDirectory = _modelDirectory }));

        Assert.Equal(["digits-mlp", "tiny"], catalog.ModelNames);
        Assert.True(catalog.TryGet("tiny", out MlpModel? first));
        Assert.True(catalog.TryGet("tiny", out MlpModel? second));
        Assert.Same(first, second);
        Assert.False(catalog.TryGet("missing", out _));
    }

    private IJobHandler Job() =>
        _registry.TryGet(BuiltInJobTypes.Mlp, out IJobHandler? handler) ? handler : throw new InvalidOperationException("inference.mlp is not registered.");
}
