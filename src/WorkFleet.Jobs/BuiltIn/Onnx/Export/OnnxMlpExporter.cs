using System.Globalization;
using System.Text.Json;
using WorkFleet.Jobs.BuiltIn.Inference;

namespace WorkFleet.Jobs.BuiltIn.Onnx.Export;

/// <summary>
/// Writes an <see cref="MlpModel"/> (the <c>inference.mlp</c> format) as an ONNX model that computes the same
/// function: per layer <c>Gemm(x, W, b, transB=1)</c> (W kept in its [out, in] layout), <c>Relu</c> between
/// layers, <c>Softmax</c> over the classes at the end. The graph input <see cref="InputName"/> is
/// [batch, inputs] float32 with a symbolic batch dimension, so <c>inference.onnx</c> can stack rows of many
/// tasks; the output <see cref="OutputName"/> is [batch, classes]. The bytes are deterministic: the same
/// model always gives the same file (the shipped <c>digits-mlp.onnx</c> is checked against this).
/// </summary>
public static class OnnxMlpExporter
{
    /// <summary>The name of the graph input.</summary>
    public const string InputName = "input";

    /// <summary>The name of the graph output: softmax probabilities.</summary>
    public const string OutputName = "probabilities";

    /// <summary>The ONNX operator set the graph uses (Gemm, Relu and Softmax as of opset 13).</summary>
    public const int OpsetVersion = 13;

    /// <summary>The <c>producer_name</c> written into the model.</summary>
    public const string ProducerName = "WorkFleet.Jobs.OnnxMlpExporter";

    /// <summary>Writes <paramref name="model"/> as ONNX.</summary>
    /// <param name="model">The model to export.</param>
    /// <returns>The ONNX file's bytes (a serialized <c>ModelProto</c>).</returns>
    public static byte[] Export(MlpModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var nodes = new List<ProtoWriter>();
        var initializers = new List<ProtoWriter>();
        string activation = InputName;
        for (int i = 0; i < model.Layers.Count; i++)
        {
            DenseLayer layer = model.Layers[i];
            string weight = $"layers.{i}.weight";
            string bias = $"layers.{i}.bias";
            initializers.Add(OnnxProto.FloatTensor(weight, [layer.OutputSize, layer.InputSize], layer.Weights.Span));
            initializers.Add(OnnxProto.FloatTensor(bias, [layer.OutputSize], layer.Bias.Span));

            string linear = $"layers.{i}.linear";
            nodes.Add(OnnxProto.Node("Gemm", $"gemm_{i}", [activation, weight, bias], linear, OnnxProto.IntAttribute("transB", 1)));
            if (i < model.Layers.Count - 1)
            {
                activation = $"layers.{i}.relu";
                nodes.Add(OnnxProto.Node("Relu", $"relu_{i}", [linear], activation));
            }
            else
            {
                nodes.Add(OnnxProto.Node("Softmax", "softmax", [linear], OutputName, OnnxProto.IntAttribute("axis", -1)));
            }
        }

        ProtoWriter graph = OnnxProto.Graph(
            model.Name,
            nodes,
            initializers,
            OnnxProto.FloatValueInfo(InputName, "batch", (long)model.InputSize),
            OnnxProto.FloatValueInfo(OutputName, "batch", (long)model.OutputSize));
        var metadata = new SortedDictionary<string, string>(model.Metadata.ToDictionary(), StringComparer.Ordinal)
        {
            ["labels"] = JsonSerializer.Serialize(model.Labels),
            ["source_format"] = MlpModel.FormatName,
        };
        string doc = string.Create(
            CultureInfo.InvariantCulture,
            $"The inference.mlp model '{model.Name}' ({string.Join("-", model.LayerSizes)}, ReLU, softmax) exported to ONNX.");
        return OnnxProto.Model(ProducerName, "1", doc, OpsetVersion, graph, metadata).ToArray();
    }
}
