using System.Globalization;
using Microsoft.Extensions.Options;
using WorkFleet.Jobs.BuiltIn.Inference;

namespace WorkFleet.Jobs.Tests.Onnx;

/// <summary>The shipped digits model, its held-out rows and a plain reference forward pass, for the ONNX tests.</summary>
internal static class DigitsData
{
    public static MlpModel ShippedMlp()
    {
        var catalog = new MlpModelCatalog(Options.Create(new MlpModelOptions()));
        return catalog.TryGet(MlpModelCatalog.DigitsModelName, out MlpModel? model)
            ? model
            : throw new InvalidOperationException("digits-mlp is not shipped.");
    }

    /// <summary>The ONNX model as embedded in the library, read without the library's catalog.</summary>
    public static byte[] ShippedOnnxBytes()
    {
        using Stream stream = typeof(MlpModel).Assembly.GetManifestResourceStream("WorkFleet.Jobs.Resources.Models.digits-mlp.onnx")
            ?? throw new InvalidOperationException("digits-mlp.onnx is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Softmax of the layers computed in double precision, one row, without the library's kernels.</summary>
    public static float[] ReferenceProbabilities(MlpModel model, float[] row)
    {
        double[] activation = [.. row.Select(value => (double)value)];
        for (int l = 0; l < model.Layers.Count; l++)
        {
            DenseLayer layer = model.Layers[l];
            ReadOnlySpan<float> weights = layer.Weights.Span;
            var next = new double[layer.OutputSize];
            for (int o = 0; o < next.Length; o++)
            {
                double sum = layer.Bias.Span[o];
                for (int i = 0; i < layer.InputSize; i++)
                {
                    sum += weights[(o * layer.InputSize) + i] * activation[i];
                }

                next[o] = l < model.Layers.Count - 1 ? Math.Max(0, sum) : sum;
            }

            activation = next;
        }

        double max = activation.Max();
        double[] exp = [.. activation.Select(value => Math.Exp(value - max))];
        return [.. exp.Select(value => (float)(value / exp.Sum()))];
    }

    public static (int[] Labels, float[] Pixels) ReadHeldOut()
    {
        string[] lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Datasets", "digits-8x8-heldout.csv"));
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

    /// <summary>The repository this test was built from (the directory holding WorkFleet.sln).</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "WorkFleet.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No WorkFleet.sln above {AppContext.BaseDirectory}.");
    }
}
