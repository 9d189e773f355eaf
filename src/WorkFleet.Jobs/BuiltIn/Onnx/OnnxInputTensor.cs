using System.ComponentModel;

namespace WorkFleet.Jobs.BuiltIn.Onnx;

/// <summary>
/// One named input tensor of <c>inference.onnx</c>, in the shape of the KServe / Triton v2 protocol:
/// <c>{"name": "input", "datatype": "FP32", "shape": [2, 64], "data": [0, 3, 12, ...]}</c>, the data flat in
/// row-major order.
/// </summary>
[Description("One named input tensor: name, datatype, shape and its values flat in row-major order.")]
public sealed record OnnxInputTensor
{
    /// <summary>The model input it feeds.</summary>
    [Description("The name of the model input it feeds, e.g. \"input\".")]
    public required string Name { get; init; }

    /// <summary>The element type: <c>FP32</c>, <c>FP64</c>, <c>INT32</c> or <c>INT64</c>; it must be the model input's type.</summary>
    [Description("Element type: FP32, FP64, INT32 or INT64; must be the model input's type.")]
    public required string Datatype { get; init; }

    /// <summary>The dimensions; the first is the batch (rows) dimension when the model has one.</summary>
    [Description("Dimensions, each at least 1; the first is the rows (batch) dimension for batchable models.")]
    public required IReadOnlyList<long> Shape { get; init; }

    /// <summary>The values, row-major, as many as the shape's product (integers for the INT types).</summary>
    [Description("The values flat in row-major order, as many as the product of the shape; whole numbers for INT32/INT64.")]
    public required IReadOnlyList<double> Data { get; init; }
}
