using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Text.Json;
using WorkFleet.Jobs.Tensors;

namespace WorkFleet.Jobs.BuiltIn.Inference;

/// <summary>
/// A dense feed-forward classifier: linear layers with ReLU between them and softmax at the end. Immutable
/// and thread-safe; <see cref="Forward"/> runs any number of rows as one batch.
/// </summary>
/// <remarks>
/// File format (<see cref="Load"/>, <see cref="Save"/>): a float32 safetensors file with tensors
/// <c>layers.{i}.weight</c> [out, in] and <c>layers.{i}.bias</c> [out] for i = 0, 1, ..., and metadata
/// <c>format</c> = <c>workfleet-mlp/1</c>, optional <c>labels</c> (a JSON array of class names, one per
/// output) and any descriptive keys (kept in <see cref="Metadata"/>).
/// </remarks>
public sealed class MlpModel
{
    /// <summary>The <c>format</c> metadata value of files this class writes and reads.</summary>
    public const string FormatName = "workfleet-mlp/1";

    private readonly DenseLayer[] _layers;
    private readonly int _widestLayer;

    /// <summary>Creates a model.</summary>
    /// <param name="name">The name jobs use for it, e.g. <c>digits-mlp</c>.</param>
    /// <param name="layers">The layers, first to last; each one's input size is the previous one's output size.</param>
    /// <param name="labels">Class names, one per output; <c>null</c> for "0", "1", ...</param>
    /// <param name="metadata">Descriptive pairs saved with the model; optional.</param>
    /// <exception cref="ArgumentException">No layers, sizes that do not chain, or the wrong number of labels.</exception>
    public MlpModel(string name, IReadOnlyList<DenseLayer> layers, IReadOnlyList<string>? labels = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0)
        {
            throw new ArgumentException("A model needs at least one layer.", nameof(layers));
        }

        for (int i = 1; i < layers.Count; i++)
        {
            if (layers[i].InputSize != layers[i - 1].OutputSize)
            {
                throw new ArgumentException(
                    $"Layer {i} takes {layers[i].InputSize} inputs but layer {i - 1} has {layers[i - 1].OutputSize} outputs.", nameof(layers));
            }
        }

        Name = name;
        _layers = [.. layers];
        _widestLayer = _layers.Max(layer => layer.OutputSize);
        LayerSizes = [_layers[0].InputSize, .. _layers.Select(layer => layer.OutputSize)];
        Labels = labels is null
            ? [.. Enumerable.Range(0, OutputSize).Select(i => i.ToString(CultureInfo.InvariantCulture))]
            : labels.Count == OutputSize
                ? [.. labels]
                : throw new ArgumentException($"The model has {OutputSize} outputs but {labels.Count} labels.", nameof(labels));
        Metadata = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        FlopsPerRow = _layers.Sum(layer => 2L * layer.InputSize * layer.OutputSize);
    }

    /// <summary>The name jobs use for the model.</summary>
    public string Name { get; }

    /// <summary>Values per input row.</summary>
    public int InputSize => _layers[0].InputSize;

    /// <summary>Classes, i.e. probabilities per output row.</summary>
    public int OutputSize => _layers[^1].OutputSize;

    /// <summary>The layers, first to last.</summary>
    public IReadOnlyList<DenseLayer> Layers => _layers;

    /// <summary>Widths from input to output, e.g. [64, 128, 64, 10].</summary>
    public IReadOnlyList<int> LayerSizes { get; }

    /// <summary>Class names, one per output.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Descriptive metadata from the file (without <c>format</c> and <c>labels</c>).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Floating-point operations of one row's matrix products: the sum of 2 · inputs · outputs over the layers.</summary>
    public long FlopsPerRow { get; }

    /// <summary>
    /// Runs <paramref name="rows"/> input rows as one batch: for each layer, the rows times the weight matrix
    /// (SIMD; each weight row is read once per batch and applied to four rows at a time, so larger batches cost less per row), plus bias, ReLU
    /// between layers, softmax per row at the end. A row's result does not depend on the batch it ran in.
    /// </summary>
    /// <param name="inputs"><paramref name="rows"/> × <see cref="InputSize"/> values, row-major.</param>
    /// <param name="rows">Rows in the batch; 0 does nothing.</param>
    /// <param name="probabilities">Receives <paramref name="rows"/> × <see cref="OutputSize"/> class probabilities, row-major.</param>
    /// <exception cref="ArgumentException">A span's length does not match <paramref name="rows"/>.</exception>
    public void Forward(ReadOnlySpan<float> inputs, int rows, Span<float> probabilities)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (inputs.Length != (long)rows * InputSize)
        {
            throw new ArgumentException($"{rows} rows of {InputSize} inputs need {(long)rows * InputSize} values but {inputs.Length} were given.", nameof(inputs));
        }

        if (probabilities.Length != (long)rows * OutputSize)
        {
            throw new ArgumentException($"{rows} rows of {OutputSize} classes need {(long)rows * OutputSize} values but the output has {probabilities.Length}.", nameof(probabilities));
        }

        if (rows == 0)
        {
            return;
        }

        float[] front = ArrayPool<float>.Shared.Rent(rows * _widestLayer);
        float[] back = ArrayPool<float>.Shared.Rent(rows * _widestLayer);
        try
        {
            ReadOnlySpan<float> activations = inputs;
            for (int l = 0; l < _layers.Length; l++)
            {
                DenseLayer layer = _layers[l];
                bool last = l == _layers.Length - 1;
                Span<float> outputs = last ? probabilities : front.AsSpan(0, rows * layer.OutputSize);
                Linear(layer, activations, rows, outputs);
                for (int r = 0; r < rows; r++)
                {
                    Span<float> row = outputs.Slice(r * layer.OutputSize, layer.OutputSize);
                    if (last)
                    {
                        TensorPrimitives.SoftMax(row, row);
                    }
                    else
                    {
                        TensorPrimitives.Max(row, 0f, row);
                    }
                }

                activations = outputs;
                (front, back) = (back, front);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(front);
            ArrayPool<float>.Shared.Return(back);
        }
    }

    /// <summary>Reads a model file; see the remarks on <see cref="MlpModel"/> for the layout.</summary>
    /// <param name="name">The name jobs will use for the model.</param>
    /// <param name="stream">The safetensors bytes.</param>
    /// <returns>The model.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid model; the message names the file and the problem.</exception>
    public static MlpModel Load(string name, Stream stream)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        string source = $"model '{name}'";
        SafeTensorsFile file = SafeTensorsFile.Read(stream, source);
        if (file.Metadata.TryGetValue("format", out string? format) && format != FormatName)
        {
            throw new InvalidDataException($"{source}: format is '{format}' but only '{FormatName}' is supported.");
        }

        var layers = new List<DenseLayer>();
        while (file.TryGet($"layers.{layers.Count}.weight", out SafeTensor? weight))
        {
            int i = layers.Count;
            if (!file.TryGet($"layers.{i}.bias", out SafeTensor? bias))
            {
                throw new InvalidDataException($"{source}: 'layers.{i}.weight' has no 'layers.{i}.bias'.");
            }

            if (weight.Shape.Count != 2 || bias.Shape.Count != 1 || bias.Shape[0] != weight.Shape[0] || weight.Shape[0] == 0 || weight.Shape[1] == 0)
            {
                throw new InvalidDataException(
                    $"{source}: layer {i} needs weight [out, in] and bias [out] but has weight [{string.Join(", ", weight.Shape)}] and bias [{string.Join(", ", bias.Shape)}].");
            }

            if (i > 0 && weight.Shape[1] != layers[i - 1].OutputSize)
            {
                throw new InvalidDataException(
                    $"{source}: layer {i} takes {weight.Shape[1]} inputs but layer {i - 1} has {layers[i - 1].OutputSize} outputs.");
            }

            try
            {
                layers.Add(new DenseLayer(weight.Shape[1], weight.Shape[0], weight.Data, bias.Data));
            }
            catch (ArgumentException exception)
            {
                throw new InvalidDataException($"{source}: layer {i}: {exception.Message}", exception);
            }
        }

        if (layers.Count == 0)
        {
            throw new InvalidDataException($"{source}: no 'layers.0.weight' tensor.");
        }

        string? unexpected = file.Tensors.Select(tensor => tensor.Name)
            .FirstOrDefault(tensorName => !IsLayerTensor(tensorName, layers.Count));
        if (unexpected is not null)
        {
            throw new InvalidDataException($"{source}: unexpected tensor '{unexpected}'.");
        }

        IReadOnlyList<string>? labels = ReadLabels(file, layers[^1].OutputSize, source);
        var metadata = file.Metadata.Where(pair => pair.Key is not ("format" or "labels")).ToDictionary(StringComparer.Ordinal);
        return new MlpModel(name, layers, labels, metadata);
    }

    /// <summary>Writes the model as a safetensors file that <see cref="Load"/> reads back.</summary>
    /// <param name="stream">Where to write.</param>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var tensors = new List<SafeTensor>();
        for (int i = 0; i < _layers.Length; i++)
        {
            tensors.Add(new SafeTensor($"layers.{i}.weight", [_layers[i].OutputSize, _layers[i].InputSize], _layers[i].Weights));
            tensors.Add(new SafeTensor($"layers.{i}.bias", [_layers[i].OutputSize], _layers[i].Bias));
        }

        var metadata = new Dictionary<string, string>(Metadata, StringComparer.Ordinal)
        {
            ["format"] = FormatName,
            ["labels"] = JsonSerializer.Serialize(Labels),
        };
        new SafeTensorsFile(tensors, metadata).Write(stream);
    }

    /// <summary>Rows the batched kernel applies one weight row to at a time (four accumulators per vector lane).</summary>
    private const int RowBlock = 4;

    private static void Linear(DenseLayer layer, ReadOnlySpan<float> inputs, int rows, Span<float> outputs)
    {
        ReadOnlySpan<float> weights = layer.Weights.Span;
        ReadOnlySpan<float> bias = layer.Bias.Span;
        int n = layer.InputSize;
        int m = layer.OutputSize;
        int blocked = rows - (rows % RowBlock);

        // A real batched product: each weight row is read from memory once for the whole batch (it stays in
        // L1/L2 while every block of RowBlock input rows passes over it), instead of once per row; this is what
        // makes a batch cheaper per row than single rows once the weights outgrow the caches.
        for (int o = 0; o < m; o++)
        {
            ReadOnlySpan<float> w = weights.Slice(o * n, n);
            int r = 0;
            for (; r < blocked; r += RowBlock)
            {
                (float s0, float s1, float s2, float s3) = Dot4(
                    w, inputs.Slice(r * n, n), inputs.Slice((r + 1) * n, n), inputs.Slice((r + 2) * n, n), inputs.Slice((r + 3) * n, n));
                outputs[(r * m) + o] = s0 + bias[o];
                outputs[((r + 1) * m) + o] = s1 + bias[o];
                outputs[((r + 2) * m) + o] = s2 + bias[o];
                outputs[((r + 3) * m) + o] = s3 + bias[o];
            }

            for (; r < rows; r++)
            {
                outputs[(r * m) + o] = Dot(w, inputs.Slice(r * n, n)) + bias[o];
            }
        }
    }

    // Dot and Dot4 add in exactly the same order (vector lanes, then the lane sum, then the scalar tail), so
    // a row's result is bit for bit the same whether it ran alone or in a batch.
    private static float Dot(ReadOnlySpan<float> w, ReadOnlySpan<float> x)
    {
        int width = Vector<float>.Count;
        Vector<float> sum = Vector<float>.Zero;
        int i = 0;
        for (; i <= w.Length - width; i += width)
        {
            sum += new Vector<float>(w[i..]) * new Vector<float>(x[i..]);
        }

        float total = Vector.Sum(sum);
        for (; i < w.Length; i++)
        {
            total += w[i] * x[i];
        }

        return total;
    }

    private static (float, float, float, float) Dot4(ReadOnlySpan<float> w, ReadOnlySpan<float> x0, ReadOnlySpan<float> x1, ReadOnlySpan<float> x2, ReadOnlySpan<float> x3)
    {
        int width = Vector<float>.Count;
        Vector<float> sum0 = Vector<float>.Zero;
        Vector<float> sum1 = Vector<float>.Zero;
        Vector<float> sum2 = Vector<float>.Zero;
        Vector<float> sum3 = Vector<float>.Zero;
        int i = 0;
        for (; i <= w.Length - width; i += width)
        {
            var wv = new Vector<float>(w[i..]);
            sum0 += wv * new Vector<float>(x0[i..]);
            sum1 += wv * new Vector<float>(x1[i..]);
            sum2 += wv * new Vector<float>(x2[i..]);
            sum3 += wv * new Vector<float>(x3[i..]);
        }

        float t0 = Vector.Sum(sum0);
        float t1 = Vector.Sum(sum1);
        float t2 = Vector.Sum(sum2);
        float t3 = Vector.Sum(sum3);
        for (; i < w.Length; i++)
        {
            t0 += w[i] * x0[i];
            t1 += w[i] * x1[i];
            t2 += w[i] * x2[i];
            t3 += w[i] * x3[i];
        }

        return (t0, t1, t2, t3);
    }

    private static bool IsLayerTensor(string tensorName, int layerCount)
    {
        string[] parts = tensorName.Split('.');
        return parts.Length == 3
            && parts[0] == "layers"
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            && index < layerCount
            && parts[1] == index.ToString(CultureInfo.InvariantCulture)
            && parts[2] is "weight" or "bias";
    }

    private static string[]? ReadLabels(SafeTensorsFile file, int classes, string source)
    {
        if (!file.Metadata.TryGetValue("labels", out string? json))
        {
            return null;
        }

        string[]? labels;
        try
        {
            labels = JsonSerializer.Deserialize<string[]>(json);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{source}: metadata 'labels' must be a JSON array of strings: {exception.Message}", exception);
        }

        return labels is not null && labels.Length == classes && labels.All(label => label is not null)
            ? labels
            : throw new InvalidDataException($"{source}: metadata 'labels' must list {classes} class names, one per output.");
    }
}
