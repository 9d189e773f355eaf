namespace WorkFleet.Jobs.BuiltIn.Inference;

/// <summary>The model's answer for one input row.</summary>
public sealed record MlpPrediction
{
    /// <summary>The softmax probability of every class, by class index; they sum to 1.</summary>
    public required IReadOnlyList<float> Probabilities { get; init; }

    /// <summary>The <c>topK</c> most probable classes, most probable first (ties: lower index first).</summary>
    public required IReadOnlyList<ClassProbability> TopK { get; init; }
}
