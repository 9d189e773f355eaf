using System.Text.Json;

namespace WorkFleet.Cli.Tests;

/// <summary><c>workfleet jobs</c> and <c>workfleet run-job</c> on the shipped samples, as a user runs them.</summary>
[Trait("Category", "Process")]
public sealed class RunJobCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    public static TheoryData<string> SampleTypes() => [.. Directory.GetFiles(SamplesDirectory(), "*.json").Select(path => Path.GetFileNameWithoutExtension(path)!).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Jobs_Json_ListsEveryBuiltInTypeWithSchemaAndEachHasASample()
    {
        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(Timeout, "jobs", "--json");

        Assert.True(exitCode == 0, $"exit {exitCode}; stderr: {stderr}");
        using var document = JsonDocument.Parse(LastLine(stdout));
        var jobs = document.RootElement.GetProperty("jobs").EnumerateArray().ToList();
        var types = jobs.Select(j => j.GetProperty("type").GetString()).ToList();
        Assert.Equal(["compute.matmul", "inference.mlp", "inference.onnx", "preprocess.normalize", "preprocess.resize", "preprocess.tokenize"], types);
        Assert.All(jobs, j => Assert.Equal("object", j.GetProperty("inputSchema").GetProperty("type").GetString()));
        Assert.All(jobs, j => Assert.False(string.IsNullOrEmpty(j.GetProperty("description").GetString())));
        Assert.Equal(["model", "inputs"], jobs[1].GetProperty("inputSchema").GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.True(jobs[1].GetProperty("supportsBatching").GetBoolean());
        Assert.All(types, type => Assert.True(File.Exists(Path.Combine(SamplesDirectory(), type + ".json")), $"no samples/jobs/{type}.json"));
    }

    [Fact]
    public async Task Jobs_Table_NamesEveryType()
    {
        var (exitCode, stdout, _) = await CliProcess.RunAsync(Timeout, "jobs");

        Assert.Equal(0, exitCode);
        Assert.Contains("preprocess.resize", stdout, StringComparison.Ordinal);
        Assert.Contains("inference.mlp", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SampleTypes))]
    public async Task RunJob_Sample_SucceedsWithOutputShapedByTheInput(string type)
    {
        var path = Path.Combine(SamplesDirectory(), type + ".json");
        using var input = JsonDocument.Parse(await File.ReadAllTextAsync(path));

        var (exitCode, stdout, stderr) = await CliProcess.RunAsync(Timeout, "run-job", type, "--input", path, "--json");

        Assert.True(exitCode == 0, $"exit {exitCode}; stderr: {stderr}");
        using var report = JsonDocument.Parse(LastLine(stdout));
        Assert.Equal(type, report.RootElement.GetProperty("type").GetString());
        Assert.True(report.RootElement.GetProperty("elapsedMs").GetDouble() >= 0);
        AssertOutputShape(type, input.RootElement, report.RootElement.GetProperty("output"));
    }

    [Fact]
    public async Task RunJob_WithoutJson_PrintsTheOutputAsIndentedJson()
    {
        var path = Path.Combine(SamplesDirectory(), "compute.matmul.json");

        var (exitCode, stdout, _) = await CliProcess.RunAsync(Timeout, "run-job", "compute.matmul", "--input", path);

        Assert.Equal(0, exitCode);
        using var output = JsonDocument.Parse(stdout);
        Assert.Equal(64, output.RootElement.GetProperty("size").GetInt32());
        Assert.Contains("\n  \"checksum\"", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunJob_InvalidInput_ExitsOneWithTheFieldNamed()
    {
        var path = Path.Combine(Path.GetTempPath(), $"workfleet-bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """{"model":"digits-mlp","inputs":[[1,2,3]]}""");
        try
        {
            var (exitCode, stdout, stderr) = await CliProcess.RunAsync(Timeout, "run-job", "inference.mlp", "--input", path, "--json");

            Assert.Equal(1, exitCode);
            Assert.Contains("inference.mlp: 'inputs[0]' has 3 values but model 'digits-mlp' takes 64", stderr, StringComparison.Ordinal);
            using var report = JsonDocument.Parse(LastLine(stdout));
            Assert.Equal("invalid-input", report.RootElement.GetProperty("errorKind").GetString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task RunJob_UnknownType_ExitsOneListingTheKnownTypes()
    {
        var path = Path.Combine(SamplesDirectory(), "compute.matmul.json");

        var (exitCode, _, stderr) = await CliProcess.RunAsync(Timeout, "run-job", "images.blur", "--input", path);

        Assert.Equal(1, exitCode);
        Assert.Contains("Unknown job type 'images.blur'; known: compute.matmul, inference.mlp", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunJob_MissingFile_ExitsTwoNamingTheFile()
    {
        var (exitCode, _, stderr) = await CliProcess.RunAsync(Timeout, "run-job", "compute.matmul", "--input", "no-such-file.json");

        Assert.Equal(2, exitCode);
        Assert.Contains("--input no-such-file.json", stderr, StringComparison.Ordinal);
    }

    private static void AssertOutputShape(string type, JsonElement input, JsonElement output)
    {
        switch (type)
        {
            case "preprocess.tokenize":
                var maxLength = input.GetProperty("maxLength").GetInt32();
                var texts = output.GetProperty("results").EnumerateArray().ToList();
                Assert.Equal(input.GetProperty("texts").GetArrayLength(), texts.Count);
                Assert.All(texts, t => Assert.All(
                    new[] { "tokens", "inputIds", "attentionMask" },
                    field => Assert.Equal(maxLength, t.GetProperty(field).GetArrayLength())));
                Assert.All(texts, t => Assert.Equal(2, t.GetProperty("inputIds")[0].GetInt32()));
                break;
            case "preprocess.normalize":
                var vectors = output.GetProperty("vectors").EnumerateArray().ToList();
                var width = input.GetProperty("vectors")[0].GetArrayLength();
                Assert.Equal(input.GetProperty("vectors").GetArrayLength(), vectors.Count);
                Assert.All(vectors, v => Assert.Equal(width, v.GetArrayLength()));
                Assert.Equal(width, output.GetProperty("mean").GetArrayLength());
                Assert.Equal(width, output.GetProperty("std").GetArrayLength());
                break;
            case "preprocess.resize":
                var crop = input.GetProperty("crop");
                var shape = output.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToList();
                Assert.Equal([3, crop[1].GetInt32(), crop[0].GetInt32()], shape);
                Assert.Equal(shape[0] * shape[1] * shape[2], output.GetProperty("data").GetArrayLength());
                break;
            case "inference.mlp":
                var rows = output.GetProperty("results").EnumerateArray().ToList();
                Assert.Equal(input.GetProperty("inputs").GetArrayLength(), rows.Count);
                Assert.All(rows, r => Assert.Equal(1.0, r.GetProperty("probabilities").EnumerateArray().Sum(p => p.GetDouble()), 1e-4));
                Assert.All(rows, r => Assert.Equal(input.GetProperty("topK").GetInt32(), r.GetProperty("topK").GetArrayLength()));
                break;
            case "inference.onnx":
                var tensor = Assert.Single(output.GetProperty("outputs").EnumerateArray());
                var batch = input.GetProperty("inputs")[0].GetProperty("shape")[0].GetInt32();
                Assert.Equal([batch, 10], tensor.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()));
                Assert.Equal(batch * 10, tensor.GetProperty("data").GetArrayLength());
                break;
            case "compute.matmul":
                Assert.Equal(input.GetProperty("size").GetInt32(), output.GetProperty("size").GetInt32());
                Assert.True(double.IsFinite(output.GetProperty("checksum").GetDouble()));
                break;
            default:
                Assert.Fail($"samples/jobs/{type}.json has no expected output shape in this test; add one.");
                break;
        }
    }

    private static string LastLine(string stdout) => stdout.TrimEnd().Split('\n')[^1];

    /// <summary>samples/jobs in the repository this test was built from.</summary>
    private static string SamplesDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var samples = Path.Combine(directory.FullName, "samples", "jobs");
            if (Directory.Exists(samples))
            {
                return samples;
            }
        }

        throw new DirectoryNotFoundException($"No samples/jobs above {AppContext.BaseDirectory}.");
    }
}
