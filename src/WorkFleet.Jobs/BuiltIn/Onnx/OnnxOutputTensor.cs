namespace WorkFleet.Jobs.BuiltIn.Onnx;

/// <summary>
/// One output tensor of <c>inference.onnx</c>, shaped like its input tensors:
/// <c>{"name": "probabilities", "datatype": "FP32", "shape": [2, 10], "data": [0.001, ...]}</c>.
/// </summary>
public sealed record OnnxOutputTensor
{
    /// <summary>The model output's name.</summary>
    public required string Name { get; init; }

    /// <summary>The element type (<see cref="OnnxDataTypes"/>).</summary>
    public required string Datatype { get; init; }

    /// <summary>The dimensions: this task's rows first for batchable models.</summary>
    public required IReadOnlyList<long> Shape { get; init; }

    /// <summary>The values, row-major: a <c>float[]</c>, <c>double[]</c>, <c>int[]</c> or <c>long[]</c> by <see cref="Datatype"/>.</summary>
    public required object Data { get; init; }
}
