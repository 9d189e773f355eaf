using WorkFleet.Jobs.BuiltIn.Inference;
using WorkFleet.Jobs.Tensors;

namespace WorkFleet.Jobs.Tests.Inference;

/// <summary>The MLP forward pass against hand-computed values and a plain reference implementation, and its file format.</summary>
public class MlpModelTests
{
    [Fact]
    public void Forward_TwoByTwoModel_MatchesHandComputedProbabilities()
    {
        // W1 = [[1, -1], [0.5, 2]], b1 = [0, -1]; W2 = [[1, 0], [-1, 1]], b2 = [0.5, 0].
        // x = [3, 1]:  h = relu([2, 2.5]) = [2, 2.5];   logits = [2.5, 0.5]
        // x = [-1, 2]: h = relu([-3, 2.5]) = [0, 2.5];  logits = [0.5, 2.5]
        // softmax([2.5, 0.5]) = [1 / (1 + e^-2), 1 / (1 + e^2)] = [0.8807971, 0.1192029]
        MlpModel model = TinyModel();
        var probabilities = new float[4];

        model.Forward([3f, 1f, -1f, 2f], 2, probabilities);

        Assert.Equal(0.8807971f, probabilities[0], 1e-6f);
        Assert.Equal(0.1192029f, probabilities[1], 1e-6f);
        Assert.Equal(0.1192029f, probabilities[2], 1e-6f);
        Assert.Equal(0.8807971f, probabilities[3], 1e-6f);
    }

    [Fact]
    public void Forward_RandomModelAndBatch_MatchesPlainReferenceForwardPass()
    {
        MlpModel model = RandomModel([13, 21, 8, 5], seed: 3);
        float[] inputs = RandomValues(7 * 13, seed: 4);
        var probabilities = new float[7 * 5];

        model.Forward(inputs, 7, probabilities);

        double[] expected = ReferenceForward(model, inputs, 7);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], probabilities[i], 1e-5);
        }
    }

    [Fact]
    public void Forward_Batch_EqualsRowByRow()
    {
        MlpModel model = RandomModel([16, 32, 4], seed: 5);
        float[] inputs = RandomValues(9 * 16, seed: 6);
        var batched = new float[9 * 4];

        model.Forward(inputs, 9, batched);

        for (int r = 0; r < 9; r++)
        {
            var single = new float[4];
            model.Forward(inputs.AsSpan(r * 16, 16), 1, single);
            Assert.Equal(single, batched.AsSpan(r * 4, 4).ToArray());
        }
    }

    [Fact]
    public void Forward_WrongSpanLengths_Throw()
    {
        MlpModel model = TinyModel();

        Assert.Throws<ArgumentException>(() => model.Forward(new float[3], 2, new float[4]));
        Assert.Throws<ArgumentException>(() => model.Forward(new float[4], 2, new float[3]));
    }

    [Fact]
    public void Properties_DescribeTheLayers()
    {
        MlpModel model = RandomModel([64, 128, 64, 10], seed: 1);

        Assert.Equal([64, 128, 64, 10], model.LayerSizes);
        Assert.Equal(64, model.InputSize);
        Assert.Equal(10, model.OutputSize);
        Assert.Equal(2L * ((64 * 128) + (128 * 64) + (64 * 10)), model.FlopsPerRow);
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], model.Labels);
    }

    [Fact]
    public void SaveThenLoad_RoundTripsLayersLabelsAndMetadata()
    {
        MlpModel original = new(
            "m", RandomModel([5, 4, 3], seed: 8).Layers, ["cat", "dog", "bird"], new Dictionary<string, string> { ["note"] = "hi" });
        using var stream = new MemoryStream();
        original.Save(stream);
        stream.Position = 0;

        MlpModel loaded = MlpModel.Load("m", stream);

        Assert.Equal(["cat", "dog", "bird"], loaded.Labels);
        Assert.Equal("hi", loaded.Metadata["note"]);
        Assert.Equal([5, 4, 3], loaded.LayerSizes);
        for (int l = 0; l < 2; l++)
        {
            Assert.Equal(original.Layers[l].Weights.ToArray(), loaded.Layers[l].Weights.ToArray());
            Assert.Equal(original.Layers[l].Bias.ToArray(), loaded.Layers[l].Bias.ToArray());
        }
    }

    [Theory]
    [InlineData("missing-bias", "'layers.0.weight' has no 'layers.0.bias'")]
    [InlineData("chain", "layer 1 takes 3 inputs but layer 0 has 2 outputs")]
    [InlineData("extra", "unexpected tensor 'extra'")]
    [InlineData("no-layers", "no 'layers.0.weight' tensor")]
    [InlineData("labels", "metadata 'labels' must list 2 class names")]
    [InlineData("format", "format is 'other/2'")]
    [InlineData("nan", "layer 0: Weight 1 is not a finite number")]
    [InlineData("bias-shape", "layer 0 needs weight [out, in] and bias [out] but has weight [2, 2] and bias [3]")]
    public void Load_InvalidModelFile_ThrowsInvalidDataExceptionNamingModelAndProblem(string defect, string expected)
    {
        float[] four = [1f, 2f, 3f, 4f];
        float[] two = [0f, 0f];
        var tensors = new List<SafeTensor>
        {
            new("layers.0.weight", [2, 2], defect == "nan" ? [1f, float.NaN, 3f, 4f] : four),
            new("layers.0.bias", defect == "bias-shape" ? [3] : [2], defect == "bias-shape" ? new float[3] : two),
            new("layers.1.weight", defect == "chain" ? [2, 3] : [2, 2], defect == "chain" ? new float[6] : four),
            new("layers.1.bias", [2], two),
        };
        var metadata = new Dictionary<string, string>();
        switch (defect)
        {
            case "missing-bias":
                tensors.RemoveAt(1);
                break;
            case "extra":
                tensors.Add(new SafeTensor("extra", [1], new[] { 1f }));
                break;
            case "no-layers":
                tensors = [new SafeTensor("weights", [1], new[] { 1f })];
                break;
            case "labels":
                metadata["labels"] = """["a","b","c"]""";
                break;
            case "format":
                metadata["format"] = "other/2";
                break;
        }

        using var stream = new MemoryStream();
        new SafeTensorsFile(tensors, metadata).Write(stream);
        stream.Position = 0;

        var exception = Assert.Throws<InvalidDataException>(() => MlpModel.Load("broken", stream));

        Assert.StartsWith("model 'broken': ", exception.Message, StringComparison.Ordinal);
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }

    internal static MlpModel TinyModel() => new(
        "tiny",
        [
            new DenseLayer(2, 2, new[] { 1f, -1f, 0.5f, 2f }, new[] { 0f, -1f }),
            new DenseLayer(2, 2, new[] { 1f, 0f, -1f, 1f }, new[] { 0.5f, 0f }),
        ]);

    internal static MlpModel RandomModel(int[] sizes, int seed)
    {
        var layers = new DenseLayer[sizes.Length - 1];
        for (int l = 0; l < layers.Length; l++)
        {
            layers[l] = new DenseLayer(sizes[l], sizes[l + 1], RandomValues(sizes[l] * sizes[l + 1], seed + (10 * l)), RandomValues(sizes[l + 1], seed + (10 * l) + 1));
        }

        return new MlpModel("random", layers);
    }

    internal static float[] RandomValues(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1))];
    }

    /// <summary>Three plain loops per layer in double precision, ReLU between layers, a max-shifted softmax at the end.</summary>
    internal static double[] ReferenceForward(MlpModel model, float[] inputs, int rows)
    {
        double[] activations = [.. inputs.Select(value => (double)value)];
        for (int l = 0; l < model.Layers.Count; l++)
        {
            DenseLayer layer = model.Layers[l];
            float[] weights = layer.Weights.ToArray();
            float[] bias = layer.Bias.ToArray();
            var next = new double[rows * layer.OutputSize];
            for (int r = 0; r < rows; r++)
            {
                for (int o = 0; o < layer.OutputSize; o++)
                {
                    double sum = bias[o];
                    for (int i = 0; i < layer.InputSize; i++)
                    {
                        sum += weights[(o * layer.InputSize) + i] * activations[(r * layer.InputSize) + i];
                    }

                    next[(r * layer.OutputSize) + o] = l < model.Layers.Count - 1 ? Math.Max(0, sum) : sum;
                }
            }

            activations = next;
        }

        int classes = model.OutputSize;
        for (int r = 0; r < rows; r++)
        {
            Span<double> row = activations.AsSpan(r * classes, classes);
            double max = double.MinValue;
            foreach (double value in row)
            {
                max = Math.Max(max, value);
            }

            double total = 0;
            for (int c = 0; c < classes; c++)
            {
                row[c] = Math.Exp(row[c] - max);
                total += row[c];
            }

            for (int c = 0; c < classes; c++)
            {
                row[c] /= total;
            }
        }

        return activations;
    }
}
