using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using WorkFleet.Jobs.BuiltIn;
using WorkFleet.Jobs.BuiltIn.Inference;
using WorkFleet.Jobs.Tests.Support;

namespace WorkFleet.Jobs.Tests.Inference;

/// <summary>
/// The shipped <c>digits-mlp</c> model on the held-out split that ships beside it (see
/// src/WorkFleet.Jobs/Resources/README.md, which states the accuracy this test checks).
/// </summary>
public class DigitsModelTests
{
    /// <summary>The accuracy Resources/README.md promises; the model measured 97.70 % when trained.</summary>
    private const double StatedHeldOutAccuracy = 0.975;

    [Fact]
    public void ShippedModel_HeldOutSplit_AccuracyAtLeastStated()
    {
        (int[] labels, float[] pixels) = ReadHeldOut();
        var catalog = new MlpModelCatalog(Microsoft.Extensions.Options.Options.Create(new MlpModelOptions()));
        Assert.True(catalog.TryGet(MlpModelCatalog.DigitsModelName, out MlpModel? model));

        var probabilities = new float[labels.Length * 10];
        model.Forward(pixels, labels.Length, probabilities);
        int[] predicted = [.. Enumerable.Range(0, labels.Length).Select(i => ArgMax(probabilities.AsSpan(i * 10, 10)))];
        int[] reference = ReferencePredictions(pixels, labels.Length);

        double accuracy = labels.Zip(predicted).Count(pair => pair.First == pair.Second) / (double)labels.Length;
        double referenceAccuracy = labels.Zip(reference).Count(pair => pair.First == pair.Second) / (double)labels.Length;
        Assert.Equal(1000, labels.Length);
        Assert.True(accuracy >= StatedHeldOutAccuracy, $"held-out accuracy {accuracy:P2} < {StatedHeldOutAccuracy:P2}");
        Assert.True(referenceAccuracy >= StatedHeldOutAccuracy, $"reference held-out accuracy {referenceAccuracy:P2} < {StatedHeldOutAccuracy:P2}");
        Assert.Equal(reference, predicted);
    }

    [Fact]
    public async Task InferenceJob_FirstHeldOutSamples_TopClassIsTheReferencePrediction()
    {
        (int[] labels, float[] pixels) = ReadHeldOut();
        IJobHandler job = TestRegistry.BuiltIn(BuiltInJobTypes.Mlp);
        float[][] rows = [.. Enumerable.Range(0, 20).Select(i => pixels.AsSpan(i * 64, 64).ToArray())];

        JsonElement output = await job.ExecuteAsync(
            JsonSerializer.SerializeToElement(new { model = "digits-mlp", inputs = rows, topK = 1 }), CancellationToken.None);

        int[] predicted = [.. output.GetProperty("results").EnumerateArray().Select(result => result.GetProperty("topK")[0].GetProperty("class").GetInt32())];
        Assert.Equal(ReferencePredictions(pixels, 20), predicted);
    }

    /// <summary>The model file parsed here without the library, then a plain double-precision forward pass per row.</summary>
    private static int[] ReferencePredictions(float[] pixels, int rows)
    {
        byte[] file = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Models", "digits-mlp.safetensors"));
        int headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        using JsonDocument header = JsonDocument.Parse(Encoding.UTF8.GetString(file, 8, headerLength));
        int dataStart = 8 + headerLength;
        var layers = new List<(int Out, int In, float[] W, float[] B)>();
        for (int l = 0; header.RootElement.TryGetProperty($"layers.{l}.weight", out JsonElement weight); l++)
        {
            int[] shape = [.. weight.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32())];
            layers.Add((shape[0], shape[1], Floats(file, dataStart, weight), Floats(file, dataStart, header.RootElement.GetProperty($"layers.{l}.bias"))));
        }

        var predictions = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            double[] activation = [.. pixels.AsSpan(r * 64, 64).ToArray().Select(value => (double)value)];
            for (int l = 0; l < layers.Count; l++)
            {
                var next = new double[layers[l].Out];
                for (int o = 0; o < next.Length; o++)
                {
                    double sum = layers[l].B[o];
                    for (int i = 0; i < layers[l].In; i++)
                    {
                        sum += layers[l].W[(o * layers[l].In) + i] * activation[i];
                    }

                    next[o] = l < layers.Count - 1 ? Math.Max(0, sum) : sum;
                }

                activation = next;
            }

            // Softmax is monotonic: the most probable class is the largest logit.
            predictions[r] = Array.IndexOf(activation, activation.Max());
        }

        return predictions;
    }

    private static float[] Floats(byte[] file, int dataStart, JsonElement tensor)
    {
        long[] offsets = [.. tensor.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64())];
        var values = new float[(offsets[1] - offsets[0]) / 4];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(dataStart + (int)offsets[0] + (4 * i)));
        }

        return values;
    }

    private static (int[] Labels, float[] Pixels) ReadHeldOut()
    {
        string[] lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Datasets", "digits-8x8-heldout.csv"));
        Assert.Equal("label,pixels", lines[0]);
        var labels = new int[lines.Length - 1];
        var pixels = new float[labels.Length * 64];
        for (int i = 0; i < labels.Length; i++)
        {
            string[] fields = lines[i + 1].Split(',');
            labels[i] = int.Parse(fields[0], CultureInfo.InvariantCulture);
            for (int j = 0; j < 64; j++)
            {
                pixels[(i * 64) + j] = Convert.ToInt32(fields[1][j].ToString(), 16);
            }
        }

        return (labels, pixels);
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            best = values[i] > values[best] ? i : best;
        }

        return best;
    }
}
