using System.ComponentModel;

namespace WorkFleet.Jobs.BuiltIn.Onnx;

/// <summary>
/// Input of <c>inference.onnx</c>: tensors to run through an ONNX model file.
/// </summary>
/// <remarks>
/// JSON: <c>{"model": "digits-mlp.onnx", "inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 64], "data": [...]}], "outputs": ["probabilities"]}</c>.
/// <list type="bullet">
/// <item><c>model</c> (required): a file name ending in <c>.onnx</c> in the model directory (no path, no <c>..</c>);
/// shipped: <c>digits-mlp.onnx</c>, the <c>inference.mlp</c> digits model exported to ONNX.</item>
/// <item><c>inputs</c> (required): one tensor per model input (<see cref="OnnxInputTensor"/>).</item>
/// <item><c>outputs</c>: the model outputs to return; default all.</item>
/// </list>
/// The result is an <see cref="OnnxOutput"/>.
/// </remarks>
[Description("Tensors to run through an ONNX model from the worker's model directory.")]
public sealed record OnnxInput : IValidatableJobInput
{
    /// <summary>Most input tensors in one job.</summary>
    public const int MaxTensors = 32;

    /// <summary>Most values in one input tensor.</summary>
    public const int MaxElements = 4 * 1024 * 1024;

    /// <summary>Most dimensions of one input tensor.</summary>
    public const int MaxRank = 8;

    /// <summary>The model's file name.</summary>
    [Description("Model file name in the model directory, e.g. \"digits-mlp.onnx\" (64 pixel intensities 0..15 of an 8x8 glyph -> probabilities of \"0\"..\"9\"). No paths. Files are read from WorkFleet:Jobs:Onnx:ModelDirectory, then the shipped ones.")]
    public required string Model { get; init; }

    /// <summary>One tensor per model input.</summary>
    [Description("One tensor per model input.")]
    public required IReadOnlyList<OnnxInputTensor> Inputs { get; init; }

    /// <summary>The outputs to return; <c>null</c> for all.</summary>
    [Description("Names of the model outputs to return; default all.")]
    public IReadOnlyList<string>? Outputs { get; init; }

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (OnnxModelName.Problem(Model) is { } modelProblem)
        {
            yield return $"'model' {modelProblem}";
        }

        if (Outputs is not null && (Outputs.Count == 0 || Outputs.Any(string.IsNullOrEmpty)))
        {
            yield return "'outputs' must list at least one output name, none empty, or be left out for all";
        }

        if (Inputs is null || Inputs.Count is < 1 or > MaxTensors)
        {
            yield return $"'inputs' must contain 1 to {MaxTensors} tensors but has {Inputs?.Count ?? 0}";
            yield break;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Inputs.Count; i++)
        {
            foreach (string problem in Check(Inputs[i], names))
            {
                yield return $"'inputs[{i}]{problem}";
            }
        }
    }

    private static IEnumerable<string> Check(OnnxInputTensor? tensor, HashSet<string> names)
    {
        if (tensor is null)
        {
            yield return "' is null";
            yield break;
        }

        if (string.IsNullOrEmpty(tensor.Name))
        {
            yield return ".name' is required";
        }
        else if (!names.Add(tensor.Name))
        {
            yield return $".name' \"{tensor.Name}\" is given twice";
        }

        bool knownType = OnnxDataTypes.TryGetElementType(tensor.Datatype, out _);
        if (!knownType)
        {
            yield return $".datatype' \"{tensor.Datatype}\" is not supported; use one of {string.Join(", ", OnnxDataTypes.All)}";
        }

        if (tensor.Shape is null || tensor.Shape.Count is < 1 or > MaxRank || tensor.Shape.Any(dim => dim < 1))
        {
            yield return $".shape' must have 1 to {MaxRank} dimensions, each at least 1, but is [{string.Join(", ", tensor.Shape ?? [])}]";
            yield break;
        }

        long elements = 1;
        foreach (long dim in tensor.Shape)
        {
            elements = Math.Min(elements * dim, (long)MaxElements + 1);
        }

        if (elements > MaxElements)
        {
            yield return $".shape' [{string.Join(", ", tensor.Shape)}] has more than {MaxElements} values";
            yield break;
        }

        if (tensor.Data is null || tensor.Data.Count != elements)
        {
            yield return $".data' has {tensor.Data?.Count ?? 0} values but shape [{string.Join(", ", tensor.Shape)}] needs {elements}";
            yield break;
        }

        if (knownType && FirstUnfit(tensor) is int bad and >= 0)
        {
            yield return $".data[{bad}]' ({tensor.Data[bad]}) does not fit {tensor.Datatype}";
        }
    }

    private static int FirstUnfit(OnnxInputTensor tensor)
    {
        for (int i = 0; i < tensor.Data.Count; i++)
        {
            double value = tensor.Data[i];
            bool fits = tensor.Datatype switch
            {
                OnnxDataTypes.Integer32 => double.IsInteger(value) && value is >= int.MinValue and <= int.MaxValue,
                // 2^63 is the first double above long.MaxValue.
                OnnxDataTypes.Integer64 => double.IsInteger(value) && value >= long.MinValue && value < 9223372036854775808.0,
                OnnxDataTypes.Fp32 => float.IsFinite((float)value),
                _ => double.IsFinite(value),
            };
            if (!fits)
            {
                return i;
            }
        }

        return -1;
    }
}
