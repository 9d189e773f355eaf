using System.Buffers;
using System.ComponentModel;

namespace WorkFleet.Jobs.BuiltIn.Inference;

/// <summary>
/// The <c>inference.mlp</c> job: classifies rows with a dense model from the <see cref="MlpModelCatalog"/>.
/// As an <see cref="IBatchJobHandler{TInput, TOutput}"/>, jobs for the same model (the batch key) run as
/// one batched forward pass. Runs synchronously on the calling thread.
/// </summary>
/// <param name="catalog">The models.</param>
[Description("Classifies rows of features with a dense feed-forward model (ReLU layers, softmax output): class probabilities and top-k.")]
public sealed class MlpJobHandler(MlpModelCatalog catalog) : IBatchJobHandler<MlpInput, MlpOutput>
{
    /// <inheritdoc />
    /// <remarks>Expects input that passed <see cref="MlpInput.Validate"/>, as the registry ensures.</remarks>
    public async Task<MlpOutput> HandleAsync(MlpInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        GetBatchKey(input);
        IReadOnlyList<MlpOutput> outputs = await HandleBatchAsync([input], cancellationToken);
        return outputs[0];
    }

    /// <inheritdoc />
    /// <remarks>The key is the model name. Checks that the model exists and fits the rows and <c>topK</c>.</remarks>
    public string GetBatchKey(MlpInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        MlpModel model = FindModel(input.Model);
        for (int i = 0; i < input.Inputs.Count; i++)
        {
            if (input.Inputs[i].Length != model.InputSize)
            {
                throw new JobInputException(
                    $"{BuiltInJobTypes.Mlp}: 'inputs[{i}]' has {input.Inputs[i].Length} values but model '{model.Name}' takes {model.InputSize}");
            }
        }

        if (input.TopK is { } topK && topK > model.OutputSize)
        {
            throw new JobInputException(
                $"{BuiltInJobTypes.Mlp}: 'topK' must be between 1 and {model.OutputSize} (the classes of model '{model.Name}') but is {topK}");
        }

        return model.Name;
    }

    /// <inheritdoc />
    /// <remarks>The inputs must have passed <see cref="GetBatchKey"/> and share one model.</remarks>
    public Task<IReadOnlyList<MlpOutput>> HandleBatchAsync(IReadOnlyList<MlpInput> inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        cancellationToken.ThrowIfCancellationRequested();
        if (inputs.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<MlpOutput>>([]);
        }

        MlpModel model = FindModel(inputs[0].Model);
        int rows = inputs.Sum(input => input.Inputs.Count);
        float[] features = ArrayPool<float>.Shared.Rent(rows * model.InputSize);
        float[] probabilities = ArrayPool<float>.Shared.Rent(rows * model.OutputSize);
        try
        {
            int row = 0;
            foreach (float[] values in inputs.SelectMany(input => input.Inputs))
            {
                values.CopyTo(features.AsSpan(row++ * model.InputSize, model.InputSize));
            }

            model.Forward(features.AsSpan(0, rows * model.InputSize), rows, probabilities.AsSpan(0, rows * model.OutputSize));

            var outputs = new MlpOutput[inputs.Count];
            row = 0;
            for (int i = 0; i < inputs.Count; i++)
            {
                var results = new MlpPrediction[inputs[i].Inputs.Count];
                for (int r = 0; r < results.Length; r++, row++)
                {
                    int topK = inputs[i].TopK ?? Math.Min(MlpInput.DefaultTopK, model.OutputSize);
                    results[r] = Predict(model, probabilities.AsSpan(row * model.OutputSize, model.OutputSize), topK);
                }

                outputs[i] = new MlpOutput { Model = model.Name, Results = results };
            }

            return Task.FromResult<IReadOnlyList<MlpOutput>>(outputs);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(features);
            ArrayPool<float>.Shared.Return(probabilities);
        }
    }

    private MlpModel FindModel(string name) =>
        catalog.TryGet(name, out MlpModel? model)
            ? model
            : throw new JobInputException(
                $"{BuiltInJobTypes.Mlp}: 'model' \"{name}\" is not a known model; available: {string.Join(", ", catalog.ModelNames)}");

    private static MlpPrediction Predict(MlpModel model, ReadOnlySpan<float> probabilities, int topK)
    {
        float[] copy = probabilities.ToArray();
        ClassProbability[] top = [.. Enumerable.Range(0, copy.Length)
            .OrderByDescending(index => copy[index])
            .ThenBy(index => index)
            .Take(topK)
            .Select(index => new ClassProbability { ClassIndex = index, Label = model.Labels[index], Probability = copy[index] })];
        return new MlpPrediction { Probabilities = copy, TopK = top };
    }
}
