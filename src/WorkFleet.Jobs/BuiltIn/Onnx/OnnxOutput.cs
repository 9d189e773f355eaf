namespace WorkFleet.Jobs.BuiltIn.Onnx;

/// <summary>
/// Result of <c>inference.onnx</c>. JSON:
/// <c>{"model": "digits-mlp.onnx", "outputs": [{"name": "probabilities", "datatype": "FP32", "shape": [2, 10], "data": [...]}]}</c>.
/// </summary>
public sealed record OnnxOutput
{
    /// <summary>The model file that ran.</summary>
    public required string Model { get; init; }

    /// <summary>The requested outputs (all of the model's by default), in the model's order.</summary>
    public required IReadOnlyList<OnnxOutputTensor> Outputs { get; init; }
}
