using Microsoft.ML.OnnxRuntime.Tensors;

namespace WorkFleet.Jobs.BuiltIn.Onnx;

/// <summary>
/// The tensor element types <c>inference.onnx</c> accepts and returns, named as in the KServe / Triton v2
/// inference protocol (<c>FP32</c>, <c>FP64</c>, <c>INT32</c>, <c>INT64</c>).
/// </summary>
public static class OnnxDataTypes
{
    /// <summary>32-bit float.</summary>
    public const string Fp32 = "FP32";

    /// <summary>64-bit float.</summary>
    public const string Fp64 = "FP64";

    /// <summary>32-bit signed integer.</summary>
    public const string Integer32 = "INT32";

    /// <summary>64-bit signed integer (e.g. token ids).</summary>
    public const string Integer64 = "INT64";

    /// <summary>Every supported name, for messages.</summary>
    public static IReadOnlyList<string> All { get; } = [Fp32, Fp64, Integer32, Integer64];

    /// <summary>The ONNX Runtime element type of a supported name.</summary>
    /// <param name="name">A name from <see cref="All"/>.</param>
    /// <param name="elementType">The element type when supported.</param>
    /// <returns><c>true</c> when <paramref name="name"/> is supported (ordinal, upper case).</returns>
    public static bool TryGetElementType(string? name, out TensorElementType elementType)
    {
        (bool known, elementType) = name switch
        {
            Fp32 => (true, TensorElementType.Float),
            Fp64 => (true, TensorElementType.Double),
            Integer32 => (true, TensorElementType.Int32),
            Integer64 => (true, TensorElementType.Int64),
            _ => (false, TensorElementType.DataTypeMax),
        };
        return known;
    }

    /// <summary>The name of an element type, or <c>null</c> when <c>inference.onnx</c> cannot carry it.</summary>
    /// <param name="elementType">An ONNX Runtime element type.</param>
    /// <returns>The name, e.g. <c>FP32</c>.</returns>
    public static string? NameOf(TensorElementType elementType) => elementType switch
    {
        TensorElementType.Float => Fp32,
        TensorElementType.Double => Fp64,
        TensorElementType.Int32 => Integer32,
        TensorElementType.Int64 => Integer64,
        _ => null,
    };
}
