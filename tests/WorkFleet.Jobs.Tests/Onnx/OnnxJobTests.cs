using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WorkFleet.Jobs.BuiltIn;
using WorkFleet.Jobs.BuiltIn.Inference;
using WorkFleet.Jobs.BuiltIn.Onnx;
using WorkFleet.Jobs.BuiltIn.Onnx.Export;
using WorkFleet.Jobs.Tests.Inference;
using WorkFleet.Jobs.Tests.Support;

namespace WorkFleet.Jobs.Tests.Onnx;

/// <summary>The <c>inference.onnx</c> job through the registry: shipped and user models, batching, refusals.</summary>
public sealed class OnnxJobTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("workfleet-onnx-").FullName;
    private readonly string _modelDirectory;
    private readonly JobHandlerRegistry _registry;

    public OnnxJobTests()
    {
        _modelDirectory = Directory.CreateDirectory(Path.Combine(_root, "models")).FullName;

        // The hand-computed 2 -> 2 -> 2 model of MlpModelTests, exported as "tiny.onnx"; a model file outside
        // the directory that path escapes would reach.
        File.WriteAllBytes(Path.Combine(_modelDirectory, "tiny.onnx"), OnnxMlpExporter.Export(MlpModelTests.TinyModel()));
        File.WriteAllBytes(Path.Combine(_root, "outside.onnx"), OnnxMlpExporter.Export(MlpModelTests.TinyModel()));
        _registry = TestRegistry.Build(services => services
            .AddBuiltInJobs()
            .Configure<OnnxModelOptions>(options => options.ModelDirectory = _modelDirectory));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Onnx_ShippedModel_AnswersInDocumentedShapeWithTheMlpJobsProbabilities()
    {
        (_, float[] pixels) = DigitsData.ReadHeldOut();
        float[][] rows = [.. Enumerable.Range(0, 5).Select(i => pixels.AsSpan(i * 64, 64).ToArray())];

        JsonElement output = await Job(BuiltInJobTypes.Onnx).ExecuteAsync(Request("digits-mlp.onnx", rows), CancellationToken.None);
        JsonElement mlp = await Job(BuiltInJobTypes.Mlp).ExecuteAsync(
            JsonSerializer.SerializeToElement(new { model = "digits-mlp", inputs = rows }), CancellationToken.None);

        Assert.Equal(["model", "outputs"], output.EnumerateObject().Select(property => property.Name));
        Assert.Equal("digits-mlp.onnx", output.GetProperty("model").GetString());
        JsonElement tensor = Assert.Single(output.GetProperty("outputs").EnumerateArray());
        Assert.Equal(["name", "datatype", "shape", "data"], tensor.EnumerateObject().Select(property => property.Name));
        Assert.Equal("probabilities", tensor.GetProperty("name").GetString());
        Assert.Equal("FP32", tensor.GetProperty("datatype").GetString());
        Assert.Equal([5, 10], tensor.GetProperty("shape").EnumerateArray().Select(dim => dim.GetInt32()));
        float[] expected = [.. mlp.GetProperty("results").EnumerateArray().SelectMany(result => result.GetProperty("probabilities").EnumerateArray().Select(p => p.GetSingle()))];
        Assert.All(expected.Zip(Floats(tensor)), pair => Assert.Equal(pair.First, pair.Second, 1e-5f));
    }

    [Fact]
    public async Task Onnx_UserModel_ReturnsHandComputedProbabilities()
    {
        JsonElement output = await Job(BuiltInJobTypes.Onnx).ExecuteAsync(
            TestJson.Parse("""{"model":"tiny.onnx","inputs":[{"name":"input","datatype":"FP32","shape":[2,2],"data":[3,1,-1,2]}]}"""), CancellationToken.None);

        float[] probabilities = Floats(output.GetProperty("outputs")[0]);
        Assert.Equal([0.8807971f, 0.1192029f, 0.1192029f, 0.8807971f], probabilities, new ToleranceComparer(1e-6f));
    }

    [Fact]
    public async Task Batch_JobsOfDifferentRowCounts_GiveTheOutputsOfOneByOneRuns()
    {
        (_, float[] pixels) = DigitsData.ReadHeldOut();
        var batch = Assert.IsAssignableFrom<IBatchJobHandler>(Job(BuiltInJobTypes.Onnx));
        int[] rowCounts = [1, 3, 2, 1, 4];
        int[] firstRows = [.. rowCounts.Select((_, i) => rowCounts.Take(i).Sum())];
        JsonElement[] requests = [.. rowCounts.Select((count, i) => Request(
            "digits-mlp.onnx", [.. Enumerable.Range(firstRows[i], count).Select(row => pixels.AsSpan(row * 64, 64).ToArray())]))];

        BatchJobItem[] items = [.. requests.Select(batch.Prepare)];
        IReadOnlyList<JsonElement> batched = await batch.ExecuteBatchAsync(items, CancellationToken.None);

        Assert.Single(items.Select(item => item.BatchKey).Distinct());
        Assert.Equal(rowCounts.Length, batched.Count);
        for (int i = 0; i < requests.Length; i++)
        {
            JsonElement single = await batch.ExecuteAsync(requests[i], CancellationToken.None);
            JsonElement alone = single.GetProperty("outputs")[0];
            JsonElement together = batched[i].GetProperty("outputs")[0];
            Assert.Equal([rowCounts[i], 10], together.GetProperty("shape").EnumerateArray().Select(dim => dim.GetInt32()));
            Assert.Equal(Floats(alone), Floats(together), new ToleranceComparer(1e-6f));
        }
    }

    [Fact]
    public void Prepare_DifferentModels_GetDifferentBatchKeys()
    {
        var batch = Assert.IsAssignableFrom<IBatchJobHandler>(Job(BuiltInJobTypes.Onnx));

        BatchJobItem digits = batch.Prepare(Request("digits-mlp.onnx", [new float[64]]));
        BatchJobItem tiny = batch.Prepare(TestJson.Parse("""{"model":"tiny.onnx","inputs":[{"name":"input","datatype":"FP32","shape":[1,2],"data":[1,2]}]}"""));

        Assert.NotEqual(digits.BatchKey, tiny.BatchKey);
    }

    [Theory]
    [InlineData("../outside.onnx", "'model' \"../outside.onnx\" contains '..'")]
    [InlineData("..", "'model' \"..\" contains '..'")]
    [InlineData("/tmp/outside.onnx", "'model' \"/tmp/outside.onnx\" is a path")]
    [InlineData("models/tiny.onnx", "'model' \"models/tiny.onnx\" is a path")]
    [InlineData("models\\\\tiny.onnx", "is a path")]
    [InlineData("tiny", "'model' \"tiny\" must end in '.onnx'")]
    [InlineData("-tiny.onnx", "must be 1 to 128 letters, digits")]
    public async Task Onnx_ModelNameThatIsNotAPlainFileName_IsRefusedBeforeAnyFileIsRead(string model, string expected)
    {
        var exception = await Assert.ThrowsAsync<JobInputException>(() => Job(BuiltInJobTypes.Onnx).ExecuteAsync(
            TestJson.Parse($$"""{"model":"{{model}}","inputs":[{"name":"input","datatype":"FP32","shape":[1,2],"data":[1,2]}]}"""), CancellationToken.None));

        Assert.StartsWith("inference.onnx: ", exception.Message, StringComparison.Ordinal);
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"nope.onnx","inputs":[{"name":"input","datatype":"FP32","shape":[1,2],"data":[1,2]}]}""",
        "'model' \"nope.onnx\" is not a model file in the model directory (WorkFleet:Jobs:Onnx:ModelDirectory) or shipped; available: digits-mlp.onnx, tiny.onnx")]
    [InlineData("""{"model":"tiny.onnx","inputs":[{"name":"pixels","datatype":"FP32","shape":[1,2],"data":[1,2]}]}""",
        "'inputs[0].name' \"pixels\" is not an input of model 'tiny.onnx'; its inputs: input [batch, 2] FP32")]
    [InlineData("""{"model":"tiny.onnx","inputs":[{"name":"input","datatype":"FP32","shape":[1,3],"data":[1,2,3]}]}""",
        "'inputs[0].shape' [1, 3] does not fit input 'input' [batch, 2] of model 'tiny.onnx'")]
    [InlineData("""{"model":"tiny.onnx","inputs":[{"name":"input","datatype":"FP32","shape":[2],"data":[1,2]}]}""",
        "'inputs[0].shape' [2] does not fit input 'input' [batch, 2]")]
    [InlineData("""{"model":"tiny.onnx","inputs":[{"name":"input","datatype":"INT64","shape":[1,2],"data":[1,2]}]}""",
        "'inputs[0].datatype' is INT64 but input 'input' of model 'tiny.onnx' takes FP32")]
    [InlineData("""{"model":"tiny.onnx","inputs":[{"name":"input","datatype":"FP16","shape":[1,2],"data":[1,2]}]}""",
        "'inputs[0].datatype' \"FP16\" is not supported; use one of FP32, FP64, INT32, INT64")]
    [InlineData("""{"model":"tiny.onnx","inputs":[{"name":"input","datatype":"INT32","shape":[1,2],"data":[1.5,2]}]}""",
        "'inputs[0].data[0]' (1.5) does not fit INT32")]
    [InlineData("""{"model":"tiny.onnx","inputs":[{"name":"input","datatype":"FP32","shape":[2,2],"data":[1,2,3]}]}""",
        "'inputs[0].data' has 3 values but shape [2, 2] needs 4")]
    [InlineData("""{"model":"tiny.onnx","inputs":[{"name":"input","datatype":"FP32","shape":[0,2],"data":[]}]}""",
        "'inputs[0].shape' must have 1 to 8 dimensions, each at least 1, but is [0, 2]")]
    [InlineData("""{"model":"tiny.onnx","inputs":[]}""", "'inputs' must contain 1 to 32 tensors but has 0")]
    [InlineData("""{"model":"tiny.onnx","inputs":[{"name":"input","datatype":"FP32","shape":[1,2],"data":[1,2]}],"outputs":["logits"]}""",
        "'outputs' names \"logits\", which is not an output of model 'tiny.onnx'; its outputs: probabilities [batch, 2] FP32")]
    public async Task Onnx_InputThatDoesNotFitTheModel_ThrowsJobInputExceptionNamingFieldAndExpectation(string json, string expected)
    {
        var exception = await Assert.ThrowsAsync<JobInputException>(
            () => Job(BuiltInJobTypes.Onnx).ExecuteAsync(TestJson.Parse(json), CancellationToken.None));

        Assert.StartsWith("inference.onnx: ", exception.Message, StringComparison.Ordinal);
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Onnx_CorruptUserModel_ThrowsInvalidDataExceptionNamingTheModel()
    {
        await File.WriteAllBytesAsync(Path.Combine(_modelDirectory, "broken.onnx"), [1, 2, 3]);

        var exception = await Assert.ThrowsAsync<InvalidDataException>(() => Job(BuiltInJobTypes.Onnx).ExecuteAsync(
            TestJson.Parse("""{"model":"broken.onnx","inputs":[{"name":"input","datatype":"FP32","shape":[1,2],"data":[1,2]}]}"""), CancellationToken.None));

        Assert.StartsWith("inference.onnx: model 'broken.onnx' cannot be loaded by ONNX Runtime: ", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Onnx_GpuConfiguredWithoutCudaBuild_FailsNamingTheSettingAndWhatIsMissing()
    {
        // This repository ships the CPU build of ONNX Runtime, so the CUDA provider cannot load here by design.
        JobHandlerRegistry registry = TestRegistry.Build(services => services.AddBuiltInJobs().Configure<OnnxModelOptions>(options => options.UseCuda = true));
        Assert.True(registry.TryGet(BuiltInJobTypes.Onnx, out IJobHandler? job));

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(
            () => job.ExecuteAsync(Request("digits-mlp.onnx", [new float[64]]), CancellationToken.None));

        Assert.Contains("configured for GPU (WorkFleet:Jobs:Onnx:UseCuda, set by the capability 'gpu'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("CUDA execution provider could not be loaded", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Microsoft.ML.OnnxRuntime.Gpu", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalog_ModelUsedFromManyThreads_LoadsOnceAndEveryRunAgrees()
    {
        using var catalog = new OnnxModelCatalog(Options.Create(new OnnxModelOptions { ModelDirectory = _modelDirectory }));
        var handler = new OnnxJobHandler(catalog);
        (_, float[] pixels) = DigitsData.ReadHeldOut();
        OnnxInput[] inputs = [.. Enumerable.Range(0, 32).Select(i => new OnnxInput
        {
            Model = "digits-mlp.onnx",
            Inputs = [new OnnxInputTensor { Name = "input", Datatype = "FP32", Shape = [1, 64], Data = [.. pixels.AsSpan((i % 8) * 64, 64).ToArray().Select(p => (double)p)] }],
        })];

        OnnxOutput[] outputs = await Task.WhenAll(inputs.Select(input => Task.Run(() => handler.HandleAsync(input, CancellationToken.None))));

        Assert.Equal(["digits-mlp.onnx", "tiny.onnx"], catalog.ModelNames);
        Assert.True(catalog.TryGet("digits-mlp.onnx", out OnnxModel? first));
        Assert.True(catalog.TryGet("digits-mlp.onnx", out OnnxModel? second));
        Assert.Same(first, second);
        for (int i = 8; i < outputs.Length; i++)
        {
            Assert.Equal((float[])outputs[i % 8].Outputs[0].Data, (float[])outputs[i].Outputs[0].Data);
        }
    }

    private static JsonElement Request(string model, float[][] rows) => JsonSerializer.SerializeToElement(new
    {
        model,
        inputs = new[] { new { name = "input", datatype = "FP32", shape = new[] { rows.Length, rows[0].Length }, data = rows.SelectMany(row => row) } },
    });

    private static float[] Floats(JsonElement tensor) => [.. tensor.GetProperty("data").EnumerateArray().Select(value => value.GetSingle())];

    private IJobHandler Job(string jobType) =>
        _registry.TryGet(jobType, out IJobHandler? handler) ? handler : throw new InvalidOperationException($"{jobType} is not registered.");

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
