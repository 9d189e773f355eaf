using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace WorkFleet.Jobs.BuiltIn.Onnx;

/// <summary>A model input or output as its session describes it: name, element type and dimensions.</summary>
public sealed record OnnxTensorInfo
{
    /// <summary>The name.</summary>
    public required string Name { get; init; }

    /// <summary>The element type; <c>null</c> when <c>inference.onnx</c> cannot carry it (e.g. strings, maps).</summary>
    public required string? Datatype { get; init; }

    /// <summary>ONNX Runtime's element type (meaningful when <see cref="Datatype"/> is set).</summary>
    public required TensorElementType ElementType { get; init; }

    /// <summary>The dimensions; -1 for a symbolic one (any size).</summary>
    public required IReadOnlyList<long> Dimensions { get; init; }

    /// <summary>The dimensions for messages, e.g. <c>[batch, 64]</c>.</summary>
    public required string ShapeText { get; init; }

    /// <summary>Whether the first dimension is symbolic, so rows of several tasks can stack on it.</summary>
    public bool HasBatchDimension => Dimensions.Count > 0 && Dimensions[0] < 0;

    /// <summary>Reads one entry of a session's input or output metadata.</summary>
    internal static OnnxTensorInfo From(string name, NodeMetadata metadata)
    {
        if (!metadata.IsTensor)
        {
            return new OnnxTensorInfo { Name = name, Datatype = null, ElementType = TensorElementType.DataTypeMax, Dimensions = [], ShapeText = metadata.OnnxValueType.ToString() };
        }

        long[] dims = [.. metadata.Dimensions.Select(dim => (long)dim)];
        string[] symbols = metadata.SymbolicDimensions;
        string text = "[" + string.Join(", ", dims.Select((dim, i) => dim >= 0 ? dim.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : i < symbols.Length && !string.IsNullOrEmpty(symbols[i]) ? symbols[i] : "?")) + "]";
        return new OnnxTensorInfo
        {
            Name = name,
            Datatype = OnnxDataTypes.NameOf(metadata.ElementDataType),
            ElementType = metadata.ElementDataType,
            Dimensions = dims,
            ShapeText = text,
        };
    }

    /// <summary>Describes it for messages, e.g. <c>input [batch, 64] FP32</c>.</summary>
    public override string ToString() => $"{Name} {ShapeText} {Datatype ?? ElementType.ToString()}";
}
