namespace WorkFleet.Jobs.BuiltIn.Inference;

/// <summary>
/// Result of <c>inference.mlp</c>. JSON:
/// <c>{"model": "digits-mlp", "results": [{"probabilities": [0.001, ...], "topK": [{"class": 7, "label": "7", "probability": 0.98}, ...]}]}</c>.
/// </summary>
public sealed record MlpOutput
{
    /// <summary>The model that ran.</summary>
    public required string Model { get; init; }

    /// <summary>One prediction per input row, in input order.</summary>
    public required IReadOnlyList<MlpPrediction> Results { get; init; }
}
