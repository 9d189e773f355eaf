using System.ComponentModel;

namespace WorkFleet.Jobs.BuiltIn.Inference;

/// <summary>
/// Input of <c>inference.mlp</c>: rows of features to classify with a named dense model.
/// </summary>
/// <remarks>
/// JSON: <c>{"model": "digits-mlp", "inputs": [[0, 3, 12, ...], [...]], "topK": 3}</c>.
/// <list type="bullet">
/// <item><c>model</c> (required): the model's name, e.g. <c>digits-mlp</c> (shipped: 64 pixel intensities
/// 0 to 15 of an 8x8 digit glyph, row by row, into 10 classes "0" to "9").</item>
/// <item><c>inputs</c> (required): 1 to 4096 rows of finite numbers, each as long as the model's input.</item>
/// <item><c>topK</c>: how many of the most probable classes to list per row, 1 to the model's classes; default 3
/// (or every class, for models with fewer).</item>
/// </list>
/// The result is an <see cref="MlpOutput"/>.
/// </remarks>
[Description("Rows of features to classify with a named dense (MLP) model.")]
public sealed record MlpInput : IValidatableJobInput
{
    /// <summary>Most rows in one job.</summary>
    public const int MaxRows = 4096;

    /// <summary>The model's name.</summary>
    [Description("Model name, e.g. \"digits-mlp\" (64 pixel intensities 0..15 of an 8x8 glyph, row by row -> classes \"0\"..\"9\"). Models are read from WorkFleet:Jobs:Mlp:ModelDirectory, then the shipped ones.")]
    public required string Model { get; init; }

    /// <summary>The rows to classify; each as long as the model's input.</summary>
    [Description("1 to 4096 rows of finite numbers, each as long as the model's input.")]
    public required IReadOnlyList<float[]> Inputs { get; init; }

    /// <summary>The default of <see cref="TopK"/> (fewer for models with fewer classes).</summary>
    public const int DefaultTopK = 3;

    /// <summary>How many of the most probable classes to list per row; <c>null</c> for <see cref="DefaultTopK"/> or all classes if fewer.</summary>
    [Description("How many of the most probable classes to list per row, 1 to the model's number of classes. Default 3, or all classes if the model has fewer.")]
    public int? TopK { get; init; }

    /// <inheritdoc />
    public IEnumerable<string> Validate()
    {
        if (!MlpModelCatalog.IsValidName(Model))
        {
            yield return $"'model' must be 1 to 128 letters, digits, '.', '_' or '-' but is \"{Model}\"";
        }

        if (TopK is < 1)
        {
            yield return $"'topK' must be at least 1 but is {TopK}";
        }

        if (Inputs is null)
        {
            yield return "'inputs' is required";
            yield break;
        }

        if (Inputs.Count is < 1 or > MaxRows)
        {
            yield return $"'inputs' must contain 1 to {MaxRows} rows but has {Inputs.Count}";
            yield break;
        }

        for (int i = 0; i < Inputs.Count; i++)
        {
            float[]? row = Inputs[i];
            if (row is null)
            {
                yield return $"'inputs[{i}]' is null";
                continue;
            }

            for (int j = 0; j < row.Length; j++)
            {
                if (!float.IsFinite(row[j]))
                {
                    yield return $"'inputs[{i}][{j}]' is not a finite number";
                    break;
                }
            }
        }
    }
}
