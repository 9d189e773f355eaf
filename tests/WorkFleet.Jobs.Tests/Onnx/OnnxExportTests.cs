using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using WorkFleet.Jobs.BuiltIn.Inference;
using WorkFleet.Jobs.BuiltIn.Onnx;
using WorkFleet.Jobs.BuiltIn.Onnx.Export;

namespace WorkFleet.Jobs.Tests.Onnx;

/// <summary>
/// The shipped <c>digits-mlp.onnx</c>: it is exactly what <see cref="OnnxMlpExporter"/> writes from the shipped
/// <c>digits-mlp.safetensors</c>, and ONNX Runtime running it computes the <c>inference.mlp</c> forward pass.
/// Regenerate the file after changing the exporter or the MLP with
/// <c>WORKFLEET_REGENERATE_ONNX=1 dotnet test -c Release tests/WorkFleet.Jobs.Tests --filter FullyQualifiedName~OnnxExportTests</c>.
/// </summary>
public sealed class OnnxExportTests
{
    private const float Tolerance = 1e-5f;

    [Fact]
    public void ShippedOnnxModel_IsTheExportOfTheShippedMlp()
    {
        byte[] exported = OnnxMlpExporter.Export(DigitsData.ShippedMlp());
        string source = Path.Combine(DigitsData.RepositoryRoot(), "src", "WorkFleet.Jobs", "Resources", "Models", OnnxModelCatalog.DigitsModelName);
        if (Environment.GetEnvironmentVariable("WORKFLEET_REGENERATE_ONNX") == "1")
        {
            File.WriteAllBytes(source, exported);
        }

        Assert.True(File.Exists(source), $"{source} is missing; run this test with WORKFLEET_REGENERATE_ONNX=1 to write it.");
        Assert.True(exported.AsSpan().SequenceEqual(File.ReadAllBytes(source)), $"{source} is not what the exporter writes; regenerate it (see the class remarks).");
        Assert.True(exported.AsSpan().SequenceEqual(DigitsData.ShippedOnnxBytes()), "the embedded digits-mlp.onnx differs from the file in the repository; rebuild.");
    }

    [Fact]
    public void Export_Twice_GivesTheSameBytes()
    {
        MlpModel model = DigitsData.ShippedMlp();

        Assert.Equal(OnnxMlpExporter.Export(model), OnnxMlpExporter.Export(model));
    }

    [Fact]
    public void OnnxRuntime_ShippedModelOnHeldOutRows_MatchesMlpForwardPassWithin1e5()
    {
        MlpModel mlp = DigitsData.ShippedMlp();
        (_, float[] pixels) = DigitsData.ReadHeldOut();
        const int rows = 200;
        float[] features = pixels.AsSpan(0, rows * 64).ToArray();
        var expected = new float[rows * 10];
        mlp.Forward(features, rows, expected);

        float[] actual = RunOnnx(DigitsData.ShippedOnnxBytes(), features, rows);

        AssertClose(expected, actual);
        Assert.All(Enumerable.Range(0, rows), r => Assert.Equal(1.0, actual.AsSpan(r * 10, 10).ToArray().Sum(), 1e-5));
    }

    [Fact]
    public void OnnxRuntime_ShippedModelOnEdgeRows_MatchesPlainDoublePrecisionReferenceWithin1e5()
    {
        // All zeros, all ink, a stripe and out-of-range values: rows the held-out split never shows.
        float[][] rows =
        [
            new float[64],
            [.. Enumerable.Repeat(15f, 64)],
            [.. Enumerable.Range(0, 64).Select(i => i % 8 == 3 ? 15f : 0f)],
            [.. Enumerable.Range(0, 64).Select(i => (i * 7 % 31) - 8f)],
        ];
        float[] features = [.. rows.SelectMany(row => row)];

        float[] actual = RunOnnx(DigitsData.ShippedOnnxBytes(), features, rows.Length);

        float[] expected = [.. rows.SelectMany(row => DigitsData.ReferenceProbabilities(DigitsData.ShippedMlp(), row))];
        AssertClose(expected, actual);
    }

    [Fact]
    public void OnnxModel_ShippedModel_DescribesBatchableInputAndOutput()
    {
        using var catalog = new OnnxModelCatalog(Options.Create(new OnnxModelOptions()));

        Assert.True(catalog.TryGet(OnnxModelCatalog.DigitsModelName, out OnnxModel? model));

        Assert.True(model.IsBatchable);
        Assert.Equal("input [batch, 64] FP32", Assert.Single(model.Inputs).ToString());
        Assert.Equal("probabilities [batch, 10] FP32", Assert.Single(model.Outputs).ToString());
    }

    private static float[] RunOnnx(byte[] model, float[] features, int rows)
    {
        using var session = new InferenceSession(model);
        using var input = OrtValue.CreateTensorValueFromMemory(features, [rows, 64]);
        using IDisposableReadOnlyCollection<OrtValue> outputs = session.Run(new RunOptions(), [OnnxMlpExporter.InputName], [input], [OnnxMlpExporter.OutputName]);
        Assert.Equal([rows, 10L], outputs[0].GetTensorTypeAndShape().Shape);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        int worst = Enumerable.Range(0, expected.Length).MaxBy(i => Math.Abs(expected[i] - actual[i]));
        Assert.True(
            Math.Abs(expected[worst] - actual[worst]) <= Tolerance,
            $"value {worst}: expected {expected[worst]} but ONNX Runtime gave {actual[worst]} (tolerance {Tolerance})");
    }
}
