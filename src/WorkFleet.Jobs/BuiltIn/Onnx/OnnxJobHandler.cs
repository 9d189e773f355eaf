using System.ComponentModel;

namespace WorkFleet.Jobs.BuiltIn.Onnx;

/// <summary>
/// The <c>inference.onnx</c> job: runs tensors through an ONNX model from the <see cref="OnnxModelCatalog"/> on
/// ONNX Runtime (CPU, or CUDA when <see cref="OnnxModelOptions.UseCuda"/>). As an
/// <see cref="IBatchJobHandler{TInput, TOutput}"/>, jobs for the same model whose tensors agree past the first
/// dimension (the batch key) run as one <c>Run</c>, their rows stacked. Runs synchronously on the calling thread.
/// </summary>
/// <param name="catalog">The models.</param>
[Description("Runs input tensors through an ONNX model file on ONNX Runtime (CPU by default, CUDA on GPU workers); rows of several tasks stack into one run.")]
public sealed class OnnxJobHandler(OnnxModelCatalog catalog) : IBatchJobHandler<OnnxInput, OnnxOutput>
{
    /// <inheritdoc />
    /// <remarks>Expects input that passed <see cref="OnnxInput.Validate"/>, as the registry ensures.</remarks>
    public async Task<OnnxOutput> HandleAsync(OnnxInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        GetBatchKey(input);
        IReadOnlyList<OnnxOutput> outputs = await HandleBatchAsync([input], cancellationToken);
        return outputs[0];
    }

    /// <inheritdoc />
    /// <remarks>Checks that the model exists and that the tensors fit it; see <see cref="OnnxModel.GetBatchKey"/>.</remarks>
    public string GetBatchKey(OnnxInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return FindModel(input.Model).GetBatchKey(input);
    }

    /// <inheritdoc />
    /// <remarks>The inputs must have passed <see cref="GetBatchKey"/> with equal keys.</remarks>
    public Task<IReadOnlyList<OnnxOutput>> HandleBatchAsync(IReadOnlyList<OnnxInput> inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        cancellationToken.ThrowIfCancellationRequested();
        return inputs.Count == 0
            ? Task.FromResult<IReadOnlyList<OnnxOutput>>([])
            : Task.FromResult(OnnxBatchRunner.Run(FindModel(inputs[0].Model), inputs, cancellationToken));
    }

    private OnnxModel FindModel(string name) =>
        catalog.TryGet(name, out OnnxModel? model)
            ? model
            : throw new JobInputException(
                $"{BuiltInJobTypes.Onnx}: 'model' \"{name}\" is not a model file in the model directory ({OnnxModelOptions.SectionName}:ModelDirectory) or shipped; available: {string.Join(", ", catalog.ModelNames)}");
}
