using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace WorkFleet.Jobs.BuiltIn.Onnx;

/// <summary>
/// One loaded ONNX model: its ONNX Runtime session and what its inputs and outputs look like. Thread-safe
/// (ONNX Runtime allows concurrent <c>Run</c> calls on one session); owned and disposed by the
/// <see cref="OnnxModelCatalog"/>.
/// </summary>
public sealed class OnnxModel : IDisposable
{
    private readonly InferenceSession _session;

    /// <summary>Wraps a session.</summary>
    /// <param name="name">The model's file name, e.g. <c>digits-mlp.onnx</c>.</param>
    /// <param name="session">The session; disposed with this model.</param>
    internal OnnxModel(string name, InferenceSession session)
    {
        Name = name;
        _session = session;
        Inputs = [.. session.InputNames.Select(input => OnnxTensorInfo.From(input, session.InputMetadata[input]))];
        Outputs = [.. session.OutputNames.Select(output => OnnxTensorInfo.From(output, session.OutputMetadata[output]))];
        IsBatchable = Inputs.Concat(Outputs).All(tensor => tensor.HasBatchDimension);
    }

    /// <summary>The model's file name.</summary>
    public string Name { get; }

    /// <summary>The graph inputs, in the model's order.</summary>
    public IReadOnlyList<OnnxTensorInfo> Inputs { get; }

    /// <summary>The graph outputs, in the model's order.</summary>
    public IReadOnlyList<OnnxTensorInfo> Outputs { get; }

    /// <summary>
    /// Whether every input and output has a symbolic first dimension, so tasks' rows can be stacked into one
    /// run and the outputs split back by rows. Models with a fixed first dimension run one task per run.
    /// </summary>
    public bool IsBatchable { get; }

    /// <summary>The session, for <see cref="OnnxBatchRunner"/>.</summary>
    internal InferenceSession Session => _session;

    /// <summary>Describes the inputs for messages, e.g. <c>input [batch, 64] FP32</c>.</summary>
    public string DescribeInputs() => string.Join("; ", Inputs);

    /// <summary>Describes the outputs for messages.</summary>
    public string DescribeOutputs() => string.Join("; ", Outputs);

    /// <summary>
    /// Checks a job's tensors against the model (every input given once, nothing else, the model's element
    /// types and fixed dimensions, equal rows across inputs, known output names) and returns the batch key:
    /// jobs with equal keys can stack. For a model that is not <see cref="IsBatchable"/> the key is unique.
    /// </summary>
    /// <param name="input">A validated input.</param>
    /// <returns>The batch key.</returns>
    /// <exception cref="JobInputException">The tensors do not fit the model; the message names the field and the model's expectation.</exception>
    public string GetBatchKey(OnnxInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        string prefix = $"{BuiltInJobTypes.Onnx}: ";
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < input.Inputs.Count; i++)
        {
            OnnxInputTensor tensor = input.Inputs[i];
            OnnxTensorInfo? expected = Inputs.FirstOrDefault(info => info.Name == tensor.Name) ?? throw new JobInputException(
                $"{prefix}'inputs[{i}].name' \"{tensor.Name}\" is not an input of model '{Name}'; its inputs: {DescribeInputs()}");
            CheckTensor(prefix, i, tensor, expected);
            byName[tensor.Name] = i;
        }

        OnnxTensorInfo? missing = Inputs.FirstOrDefault(info => !byName.ContainsKey(info.Name));
        if (missing is not null)
        {
            throw new JobInputException($"{prefix}'inputs' has no tensor for input '{missing.Name}' of model '{Name}'; its inputs: {DescribeInputs()}");
        }

        string? unknownOutput = input.Outputs?.FirstOrDefault(output => Outputs.All(info => info.Name != output));
        if (unknownOutput is not null)
        {
            throw new JobInputException(
                $"{prefix}'outputs' names \"{unknownOutput}\", which is not an output of model '{Name}'; its outputs: {DescribeOutputs()}");
        }

        OnnxTensorInfo? uncarried = RequestedOutputs(input).FirstOrDefault(info => info.Datatype is null);
        if (uncarried is not null)
        {
            throw new JobInputException(
                $"{prefix}output '{uncarried.Name}' of model '{Name}' is {uncarried.ShapeText} {uncarried.ElementType}, which {BuiltInJobTypes.Onnx} cannot carry; " +
                $"list the outputs you need in 'outputs'; its outputs: {DescribeOutputs()}");
        }

        if (!IsBatchable)
        {
            return $"{Name}#{Guid.NewGuid():N}";
        }

        long rows = input.Inputs[0].Shape[0];
        int uneven = input.Inputs.ToList().FindIndex(tensor => tensor.Shape[0] != rows);
        if (uneven >= 0)
        {
            throw new JobInputException(
                $"{prefix}'inputs[{uneven}].shape' has {input.Inputs[uneven].Shape[0]} rows but 'inputs[0]' has {rows}: every input of model '{Name}' needs the same first (rows) dimension");
        }

        // Rows stack on the first dimension, so the rest of every shape must agree within a batch.
        IEnumerable<string> rest = Inputs.Select(info => string.Join('x', input.Inputs[byName[info.Name]].Shape.Skip(1).Select(dim => dim.ToString(CultureInfo.InvariantCulture))));
        return $"{Name}|{string.Join(';', rest)}";
    }

    /// <summary>The outputs a job asked for (all by default), in the model's order.</summary>
    /// <param name="input">The job's input.</param>
    /// <returns>The outputs to return to it.</returns>
    public IEnumerable<OnnxTensorInfo> RequestedOutputs(OnnxInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Outputs is null ? Outputs : Outputs.Where(info => input.Outputs.Contains(info.Name, StringComparer.Ordinal));
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();

    private void CheckTensor(string prefix, int index, OnnxInputTensor tensor, OnnxTensorInfo expected)
    {
        if (expected.Datatype is null)
        {
            throw new JobInputException(
                $"{prefix}input '{expected.Name}' of model '{Name}' is {expected.ShapeText} {expected.ElementType}, which {BuiltInJobTypes.Onnx} cannot carry; supported: {string.Join(", ", OnnxDataTypes.All)}");
        }

        if (tensor.Datatype != expected.Datatype)
        {
            throw new JobInputException(
                $"{prefix}'inputs[{index}].datatype' is {tensor.Datatype} but input '{expected.Name}' of model '{Name}' takes {expected.Datatype}");
        }

        bool fits = tensor.Shape.Count == expected.Dimensions.Count
            && tensor.Shape.Zip(expected.Dimensions).All(pair => pair.Second < 0 || pair.First == pair.Second);
        if (!fits)
        {
            throw new JobInputException(
                $"{prefix}'inputs[{index}].shape' [{string.Join(", ", tensor.Shape)}] does not fit input '{expected.Name}' {expected.ShapeText} of model '{Name}'");
        }
    }
}
